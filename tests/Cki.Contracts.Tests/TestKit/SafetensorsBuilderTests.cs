using System.Text;
using Cki.Contracts.Checkpoints;
using Cki.Testing.Builders;

namespace Cki.Contracts.Tests.TestKit;

/// <summary>The shared safetensors builder writes the format byte for byte: header length, compact JSON header, data.</summary>
public sealed class SafetensorsBuilderTests
{
    [Fact]
    public void Build_ConstantThenGeneratedTensor_TheBytesWrittenByHand()
    {
        var next = 2f;
        var file = new SafetensorsBuilder().F32("w", [2], 1).F32("b", [1, 2], () => next++).Build();

        const string header = """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]}}""";
        byte[] expected =
        [
            110, 0, 0, 0, 0, 0, 0, 0, // the header's length, 8 bytes little-endian
            .. Encoding.UTF8.GetBytes(header),
            0, 0, 128, 63, 0, 0, 128, 63, // w: 1.0f, 1.0f
            0, 0, 0, 64, 0, 0, 64, 64, // b: 2.0f, 3.0f
        ];
        Assert.Equal(expected, file);
    }

    [Fact]
    public void Build_TwoTensors_TheContractsParserReadsTheirOffsets()
    {
        var file = new SafetensorsBuilder().F32("trunk.0.weight", [3, 2], 0.5f).F32("head.0.bias", [3], 0).Build();

        var length = (int)BitConverter.ToUInt64(file, 0);
        var parsed = SafetensorsHeaderParser.Parse("built", file.AsSpan(8, length), file.Length - 8 - length);
        Assert.Equal(new[] { ("trunk.0.weight", 0L, 24L), ("head.0.bias", 24L, 36L) }, parsed.Tensors.Select(t => (t.Name, t.Begin, t.End)));
    }
}
