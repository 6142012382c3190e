using System.Text;
using Azure.Storage.Blobs;
using Cki.Compute.Demo;
using Cki.Compute.Tasks.Synthetic;
using Cki.Testing;

namespace Cki.Compute.Tests.Jobs;

/// <summary>The blobs of the job tests: a family of two models and its manifest in Azurite, and plain reads and writes.</summary>
internal static class JobBlobs
{
    /// <summary>
    /// Two models of <paramref name="family"/> (generated, or trained on the synthetic task) under <c>checkpoints/</c>
    /// and the run's manifest at <c>runs/{family}-run/cki.yaml</c>.
    /// </summary>
    public static async Task<BlobServiceClient> SetUpAsync(BlobServiceClient blobs, string family, string manifest, bool trained = false)
    {
        foreach (var container in new[] { "checkpoints", "runs", "integrated" })
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }

        using var scratch = new ScratchFolder();
        using var task = trained ? new SyntheticTask() : null;
        for (var k = 0; k < 2; k++)
        {
            var folder = scratch.File($"{k}");
            if (task is null)
            {
                DemoFamily.Write(folder, seed: k);
            }
            else
            {
                var model = task.Train(seed: k, epochs: 2);
                SyntheticExperiment.Write(folder, model);
            }

            await Upload(blobs, "checkpoints", $"{family}/{(char)('a' + k)}/v1/model.safetensors", await File.ReadAllBytesAsync(Path.Combine(folder, "model.safetensors")));
        }

        await Upload(blobs, "runs", $"{family}-run/cki.yaml", Encoding.UTF8.GetBytes(manifest));
        return blobs;
    }

    public static string Url(BlobServiceClient blobs, string container, string name) => blobs.GetBlobContainerClient(container).GetBlobClient(name).Uri.ToString();

    public static async Task Upload(BlobServiceClient blobs, string container, string name, byte[] content) =>
        await blobs.GetBlobContainerClient(container).GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true);

    public static async Task<byte[]> Download(BlobServiceClient blobs, string container, string name) =>
        (await blobs.GetBlobContainerClient(container).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>A <c>container/name</c> blob's bytes.</summary>
    public static Task<byte[]> Download(BlobServiceClient blobs, string qualified) =>
        Download(blobs, qualified[..qualified.IndexOf('/', StringComparison.Ordinal)], qualified[(qualified.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    /// <summary>Deletes a <c>container/name</c> blob.</summary>
    public static async Task Delete(BlobServiceClient blobs, string qualified) =>
        await blobs.GetBlobContainerClient(qualified[..qualified.IndexOf('/', StringComparison.Ordinal)])
            .GetBlobClient(qualified[(qualified.IndexOf('/', StringComparison.Ordinal) + 1)..]).DeleteIfExistsAsync();
}
