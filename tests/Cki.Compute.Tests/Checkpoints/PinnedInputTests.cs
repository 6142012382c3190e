using Azure.Storage.Blobs;
using Cki.Compute.Checkpoints;
using Cki.Contracts.Jobs;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>A run's inputs are read at the version the run started on, or not at all (real Azurite).</summary>
public sealed class PinnedInputTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void Open_PinnedBlobReplacedBeforeOpen_FailsNamingTheInput()
    {
        var (blob, pin) = Upload("fam/a/v1/model.safetensors", [1, 2, 3, 4]);
        blob.Upload(new BinaryData(new byte[] { 9, 9, 9, 9 }), overwrite: true);

        var error = Assert.Throws<InputChangedException>(() => Locations(blob, pin).OpenRead(blob.Uri.ToString()));
        Assert.StartsWith("input a changed during the run (checkpoints/fam/a/v1/model.safetensors is no longer the version the run started on", error.Message,
            StringComparison.Ordinal);
        Assert.Contains("POST /api/runs/fam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadExactly_PinnedBlobReplacedAfterOpen_FailsInsteadOfReadingTheNewBytes()
    {
        var (blob, pin) = Upload("fam/b/v2/model.safetensors", [1, 2, 3, 4]);
        using var source = Locations(blob, pin).OpenRead(blob.Uri.ToString());
        blob.Upload(new BinaryData(new byte[] { 9, 9, 9, 9 }), overwrite: true);

        var buffer = new byte[2];
        var error = Assert.Throws<InputChangedException>(() => source.ReadExactly(0, buffer));
        Assert.Equal("checkpoints/fam/b/v2/model.safetensors", error.BlobName);
        Assert.Equal(new byte[2], buffer);
    }

    [Fact]
    public void Open_PinnedBlobUploadedAgainWithTheSameBytes_ReadsIt()
    {
        // Same bytes, new ETag: the same content (storage's Content-MD5), so the same run; nothing else would pick it up.
        var (blob, pin) = Upload("fam/a/v1/model.safetensors", [5, 6, 7, 8]);
        blob.Upload(new BinaryData(new byte[] { 5, 6, 7, 8 }), overwrite: true);
        Assert.NotEqual(pin.ETag, blob.GetProperties().Value.ETag.ToString());

        using var source = Locations(blob, pin).OpenRead(blob.Uri.ToString());
        var buffer = new byte[4];
        source.ReadExactly(0, buffer);
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, buffer);
    }

    [Fact]
    public void Open_PinnedBlobWhoseNameNeedsEscaping_EverySpellingOfItsUrlIsPinned()
    {
        // A version folder with a space: the URL built segment by segment has %20, a sibling rebuilt by Uri.ToString() a space.
        var (blob, pin) = Upload("fam/a/v 1/model.safetensors", [1, 2, 3, 4]);
        blob.Upload(new BinaryData(new byte[] { 9, 9, 9, 9 }), overwrite: true);
        var storage = new Cki.Compute.Jobs.JobStorage(azurite.Blobs.Uri.ToString(), new BlobClients(azurite.ConnectionString))
            .PinnedTo(new Dictionary<string, InputVersion> { ["checkpoints/fam/a/v 1/model.safetensors"] = pin });
        var escaped = storage.Url("checkpoints/fam/a/v 1/model.safetensors");
        var unescaped = new Uri(escaped).ToString();
        Assert.Contains("%20", escaped, StringComparison.Ordinal);
        Assert.Contains("v 1", unescaped, StringComparison.Ordinal);

        foreach (var url in new[] { escaped, unescaped })
        {
            Assert.Throws<InputChangedException>(() => storage.Locations.OpenRead(url));
        }
    }

    [Fact]
    public void Open_UnpinnedBlob_ReadsWhateverIsThere()
    {
        var (blob, pin) = Upload("fam/a/v1/model.safetensors", [1, 2, 3, 4]);
        blob.Upload(new BinaryData(new byte[] { 9, 9, 9, 9 }), overwrite: true);
        var other = azurite.Blobs.GetBlobContainerClient("checkpoints").GetBlobClient("fam/c/v1/model.safetensors");
        other.Upload(new BinaryData(new byte[] { 3 }));

        using var source = Locations(blob, pin).OpenRead(other.Uri.ToString());
        Assert.Equal(1, source.Length);
    }

    private (BlobClient Blob, InputVersion Pin) Upload(string name, byte[] content)
    {
        var container = azurite.Blobs.GetBlobContainerClient("checkpoints");
        container.CreateIfNotExists();
        var blob = container.GetBlobClient(name);
        var info = blob.Upload(new BinaryData(content), overwrite: true).Value;
        return (blob, new InputVersion(info.ETag.ToString(), "md5:" + Convert.ToBase64String(blob.GetProperties().Value.ContentHash)));
    }

    private CheckpointLocations Locations(BlobClient blob, InputVersion pin) =>
        new(new BlobClients(azurite.ConnectionString), new Dictionary<string, InputVersion> { [blob.Uri.ToString()] = pin });
}
