using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cki.Testing;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Runs;

/// <summary>
/// Where content identity comes from, checked on Azurite (which behaves as Azure Storage here): a single-shot upload
/// gets a Content-MD5 from storage; a committed block list has one only when the writer gives it.
/// </summary>
[SuppressMessage("Security", "CA5351", Justification = "Content-MD5 is what is checked, not a security measure.")]
public sealed class ContentMd5Tests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))];

    private async Task<(WorkflowStorage Storage, Azure.Storage.Blobs.BlobContainerClient Container)> StorageAsync()
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        return (storage, azurite.Blobs.GetBlobContainerClient("checkpoints"));
    }

    private static async Task<string> ContentIdAsync(WorkflowStorage storage, string name) =>
        ContentIds.Of((await storage.ListAsync("checkpoints", name, CancellationToken.None)).Single(b => b.Name == name));

    [Fact]
    public async Task ContentIdsOf_SingleShotUploadTwice_SameMd5ThoughNewETag()
    {
        var (storage, container) = await StorageAsync();
        var first = await container.GetBlobClient("md5/single").UploadAsync(BinaryData.FromBytes(Bytes), overwrite: true);
        var id = await ContentIdAsync(storage, "md5/single");
        var second = await container.GetBlobClient("md5/single").UploadAsync(BinaryData.FromBytes(Bytes), overwrite: true);

        Assert.NotEqual(first.Value.ETag, second.Value.ETag);
        Assert.Equal("md5:" + Convert.ToBase64String(MD5.HashData(Bytes)), id);
        Assert.Equal(id, await ContentIdAsync(storage, "md5/single"));
        Assert.Equal(id, ContentIds.Of(Bytes));
    }

    [Fact]
    public async Task ContentIdsOf_BlockListCommittedWithoutAndWithContentHash_EtagThenMd5()
    {
        var (storage, container) = await StorageAsync();
        var block = Convert.ToBase64String("block-1"u8.ToArray());
        var plain = container.GetBlockBlobClient("md5/blocks");
        await plain.StageBlockAsync(block, new MemoryStream(Bytes));
        await plain.CommitBlockListAsync([block]);
        var hashed = container.GetBlockBlobClient("md5/blocks-hashed");
        await hashed.StageBlockAsync(block, new MemoryStream(Bytes));
        await hashed.CommitBlockListAsync([block], new BlobHttpHeaders { ContentHash = MD5.HashData(Bytes) });

        Assert.StartsWith("etag:", await ContentIdAsync(storage, "md5/blocks"), StringComparison.Ordinal);
        Assert.Equal(ContentIds.Of(Bytes), await ContentIdAsync(storage, "md5/blocks-hashed"));
    }
}
