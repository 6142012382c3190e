using Cki.Compute.Checkpoints;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

public sealed class HeaderValidationTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private CheckpointFormatException Fails(byte[] file, CheckpointRule rule, string? tensor = null)
    {
        var path = _scratch.File($"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<CheckpointFormatException>(() =>
        {
            using var reader = SafetensorsReader.Open(path);
            foreach (var entry in reader.Header.Tensors)
            {
                using var t = reader.ReadTensor(entry.Name);
            }
        });
        Assert.Equal(rule, error.Rule);
        Assert.Equal(path, error.File);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(tensor, error.Tensor);
        if (tensor is not null)
        {
            Assert.Contains($"'{tensor}'", error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    [Fact]
    public void Open_ValidFile_ReadsValues()
    {
        var path = _scratch.File("ok.safetensors");
        File.WriteAllBytes(path, RawSafetensors.Valid());
        using var reader = SafetensorsReader.Open(path);
        using var w = reader.ReadTensor("w");
        using var b = reader.ReadTensor("b");
        Assert.Equal(new float[] { 1, 2 }, w.data<float>().ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, b.data<byte>().ToArray());
    }

    [Fact]
    public void Open_FileShorterThanLengthPrefix_FailsFileTooShort() =>
        Fails([1, 2, 3], CheckpointRule.FileTooShort);

    [Fact]
    public void Open_HeaderLengthPastEndOfFile_FailsHeaderBeyondFile() =>
        Fails(RawSafetensors.Build("{}", [], declaredLength: 1000), CheckpointRule.HeaderBeyondFile);

    [Fact]
    public void Open_HeaderLengthOver100MB_FailsHeaderTooLargeWithoutAllocating()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Fails(RawSafetensors.Build("{}", [], declaredLength: ulong.MaxValue), CheckpointRule.HeaderTooLarge);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Open_InvalidUtf8_FailsInvalidUtf8WithOffset()
    {
        var header = "{\"a\":1}"u8.ToArray();
        header[2] = 0xFF;
        var error = Fails(RawSafetensors.Build(header, []), CheckpointRule.InvalidUtf8);
        Assert.Contains("offset 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"w\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"__metadata__\":{}} trailing")]
    [InlineData("")]
    public void Open_InvalidJson_FailsInvalidJson(string json) =>
        Fails(RawSafetensors.Build(json, []), CheckpointRule.InvalidJson);

    [Fact]
    public void Open_UnknownDtype_FailsUnknownDtypeNamingTensor() =>
        Fails(RawSafetensors.Build("""{"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", new byte[2]), CheckpointRule.UnknownDtype, "w");

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""")]
    public void Open_MalformedTensorEntry_FailsInvalidFieldNamingTensor(string json) =>
        Fails(RawSafetensors.Build(json, new byte[8]), CheckpointRule.InvalidField, "w");

    [Fact]
    public void Open_ShapeBytesDisagreeWithOffsets_FailsShapeSizeMismatch() =>
        Fails(RawSafetensors.Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]), CheckpointRule.ShapeSizeMismatch, "w");

    [Fact]
    public void Open_ShapeProductOverflows_FailsShapeOverflow() =>
        Fails(RawSafetensors.Build("""{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", new byte[8]), CheckpointRule.ShapeOverflow, "w");

    [Fact]
    public void Open_OverlappingOffsets_FailsOffsetsOverlap() =>
        Fails(RawSafetensors.Build(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]),
            CheckpointRule.OffsetsOverlap, "b");

    [Fact]
    public void Open_GapBetweenTensors_FailsOffsetsGap() =>
        Fails(RawSafetensors.Build(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", new byte[12]),
            CheckpointRule.OffsetsGap, "b");

    [Fact]
    public void Open_BytesAfterLastTensor_FailsBufferNotCovered() =>
        Fails(RawSafetensors.Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[6]), CheckpointRule.BufferNotCovered);

    [Fact]
    public void Open_DataCutShort_FailsTruncatedNamingTensor() =>
        Fails(RawSafetensors.Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}}""", new byte[10]),
            CheckpointRule.Truncated, "b");

    [Fact]
    public void Open_DuplicateTensorName_FailsDuplicateName() =>
        Fails(RawSafetensors.Build(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]),
            CheckpointRule.DuplicateName, "a");

    [Fact]
    public void ReadTensor_BoolByteOtherThanZeroOrOne_FailsInvalidBool() =>
        Fails(RawSafetensors.Build("""{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", [0, 1, 7]), CheckpointRule.InvalidBool, "m");

    [Fact]
    public void Open_HeaderPaddedWithSpaces_IsAccepted()
    {
        var path = _scratch.File("padded.safetensors");
        File.WriteAllBytes(path, RawSafetensors.Build("""{"a":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}     """, [7, 0, 0, 0]));
        using var reader = SafetensorsReader.Open(path);
        using var a = reader.ReadTensor("a");
        Assert.Equal(7, a.item<int>());
    }

    [Fact]
    public void Open_MetadataValueNotString_FailsInvalidField() =>
        Fails(RawSafetensors.Build("""{"__metadata__":{"seed":1}}""", []), CheckpointRule.InvalidField);
}
