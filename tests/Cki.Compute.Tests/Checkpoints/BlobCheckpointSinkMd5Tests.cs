using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using Cki.Compute.Checkpoints;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>The blob sink sets Content-MD5 at commit (the workflow's content identity), hashed while writing.</summary>
[SuppressMessage("Security", "CA5351", Justification = "Content-MD5 is what is checked, not a security measure.")]
public sealed class BlobCheckpointSinkMd5Tests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private BlockBlobClient NewBlob()
    {
        var container = azurite.Blobs.GetBlobContainerClient($"c{Guid.NewGuid():N}");
        container.Create();
        return container.GetBlockBlobClient("model.safetensors");
    }

    private static byte[] Content(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + (i >> 11)))];

    private static byte[]? StoredMd5(BlobBaseClient blob) => blob.GetProperties().Value.ContentHash is { Length: > 0 } md5 ? md5 : null;

    [Theory]
    [InlineData(1000)]
    [InlineData(BlobCheckpointSink.BlockBytes)]
    [InlineData(2 * BlobCheckpointSink.BlockBytes + 12345)]
    public void Commit_WrittenInPieces_ContentMd5IsTheMd5OfTheBytes(int length)
    {
        var blob = NewBlob();
        var content = Content(length);
        var sink = new BlobCheckpointSink(blob);
        for (var at = 0; at < length; at += 3_000_001)
        {
            sink.Write(content.AsSpan(at, Math.Min(3_000_001, length - at)));
        }

        sink.Commit();

        Assert.Equal(MD5.HashData(content), StoredMd5(blob));
        Assert.Equal(content, blob.DownloadContent().Value.Content.ToArray());
    }

    [Fact]
    public void Commit_HeaderPatchedWhileItsBlockIsUnhashed_ContentMd5OfThePatchedBytes()
    {
        var blob = NewBlob();
        var content = Content(5000);
        var sink = new BlobCheckpointSink(blob);
        sink.Write(content);
        sink.Patch(10, "patched"u8);
        sink.Commit();

        "patched"u8.CopyTo(content.AsSpan(10));
        Assert.Equal(MD5.HashData(content), StoredMd5(blob));
    }

    [Fact]
    public void Commit_HeaderPatchedAfterItsBlockWasHashed_NoContentMd5RatherThanAWrongOne()
    {
        var blob = NewBlob();
        var sink = new BlobCheckpointSink(blob);
        sink.Write(Content(BlobCheckpointSink.BlockBytes * 2 + 1));
        sink.Patch(10, "patched"u8);
        sink.Commit();

        Assert.Null(StoredMd5(blob));
    }
}
