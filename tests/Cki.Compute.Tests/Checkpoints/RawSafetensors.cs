using System.Buffers.Binary;
using System.Text;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>Builds safetensors files byte by byte, so tests can break any rule on purpose.</summary>
internal static class RawSafetensors
{
    public static byte[] Build(string headerJson, byte[] data, ulong? declaredLength = null) =>
        Build(Encoding.UTF8.GetBytes(headerJson), data, declaredLength);

    public static byte[] Build(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>A valid file: tensor 'w' F32 [2] (8 bytes) then 'b' U8 [3].</summary>
    public static byte[] Valid() => Build(
        """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}""",
        [0, 0, 128, 63, 0, 0, 0, 64, 1, 2, 3]);
}
