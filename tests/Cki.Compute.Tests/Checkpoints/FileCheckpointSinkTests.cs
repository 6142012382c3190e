using Cki.Compute.Checkpoints;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>The file sink's direct-I/O blocks (or its page-cache fallback) keep every byte in place, patches included.</summary>
public sealed class FileCheckpointSinkTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData(30, 10)] // the whole file in one gathered block: the patch lands in the block
    [InlineData(FileCheckpointSink.BlockBytes + 5000, 2)] // a full block written out before the patch, then a tail
    [InlineData((2 * FileCheckpointSink.BlockBytes) - 1, FileCheckpointSink.BlockBytes - 2)] // a patch across the first block's end
    public void Write_ThenPatchAndCommit_FileHoldsTheBytesWithThePatch(int middle, int patchAt)
    {
        var bytes = new byte[1 + middle + 3];
        new Random(middle).NextBytes(bytes);
        var path = _scratch.File("x.bin");
        using (var sink = new FileCheckpointSink(path))
        {
            sink.Write(bytes.AsSpan(0, 1));
            sink.Write(bytes.AsSpan(1, middle));
            sink.Write(bytes.AsSpan(1 + middle));
            sink.Patch(patchAt, "PATCH"u8);
            Assert.False(File.Exists(path));
            sink.Commit();
        }

        "PATCH"u8.CopyTo(bytes.AsSpan(patchAt));
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_scratch.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFile()
    {
        var path = _scratch.File("y.bin");
        using (var sink = new FileCheckpointSink(path))
        {
            sink.Write(new byte[FileCheckpointSink.BlockBytes + 1]);
        }

        Assert.Empty(Directory.GetFiles(_scratch.Path));
    }
}
