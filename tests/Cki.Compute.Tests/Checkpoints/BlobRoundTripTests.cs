using System.Text;
using Azure.Storage.Blobs;
using Cki.Compute.Checkpoints;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

public sealed class BlobRoundTripTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private BlobContainerClient NewContainer()
    {
        var container = azurite.Blobs.GetBlobContainerClient($"c{Guid.NewGuid():N}");
        container.Create();
        return container;
    }

    [Fact]
    public void Blob_UploadAndDownload_RoundTripsThroughAzurite()
    {
        var blob = NewContainer().GetBlobClient("hello.txt");
        blob.Upload(BinaryData.FromString("compatibility"));
        Assert.Equal("compatibility", blob.DownloadContent().Value.Content.ToString());
    }

    [Fact]
    public void WriteThenRead_EveryDtypeOneBlob_BitForBitEqual()
    {
        var container = NewContainer();
        RoundTripTests.WriteAndCompare($"{container.Uri}/family/a/v1/", RoundTripTests.EveryDtype(), long.MaxValue,
            new CheckpointLocations(new BlobClients(azurite.ConnectionString)));
        Assert.Single(container.GetBlobs());
    }

    [Fact]
    public void WriteThenRead_EveryDtypeShardedBlobs_BitForBitEqual()
    {
        var container = NewContainer();
        RoundTripTests.WriteAndCompare($"{container.Uri}/family/b/v1/", RoundTripTests.EveryDtype(), maxShardBytes: 100,
            new CheckpointLocations(new BlobClients(azurite.ConnectionString)));
        Assert.Contains(container.GetBlobs(), b => b.Name == "family/b/v1/model.safetensors.index.json");
    }

    [Fact]
    public void ReadTensor_FromBlob_UsesRangeReadsOnly()
    {
        // A blob whose data buffer is 40 MB: reading the 4-byte tensor must not fetch the rest.
        var container = NewContainer();
        var big = new TensorSpec("big", TensorDtype.U8, [40 << 20]);
        var small = new TensorSpec("small", TensorDtype.F32, []);
        var header = SafetensorsWriter.BuildHeader([small, big], null);
        var data = new byte[header.Length + 4 + big.ByteCount];
        header.CopyTo(data, 0);
        BitConverter.GetBytes(2.5f).CopyTo(data, header.Length);
        var blob = container.GetBlobClient("big.safetensors");
        blob.Upload(new BinaryData(data));

        var counting = new CountingSource(BlobByteSource.Open(blob));
        using var reader = SafetensorsReader.Open(counting);
        using var value = reader.ReadTensor("small");
        Assert.Equal(2.5f, value.item<float>());
        Assert.True(counting.BytesRead < 4096, $"read {counting.BytesRead} bytes");
    }

    [Fact]
    public void Open_BlobThatIsNotSafetensors_FailsNamingTheBlob()
    {
        var blob = NewContainer().GetBlobClient("notes.safetensors");
        blob.Upload(new BinaryData(Encoding.UTF8.GetBytes("this is not a checkpoint at all")));
        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsReader.Open(BlobByteSource.Open(blob)));
        Assert.Contains("notes.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Equal(CheckpointRule.HeaderTooLarge, error.Rule);
    }

    private sealed class CountingSource(IByteSource inner) : IByteSource
    {
        public long BytesRead { get; private set; }

        public string Name => inner.Name;

        public long Length => inner.Length;

        public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
        {
            BytesRead += destination.Length;
            inner.ReadExactly(offset, destination, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
