using Cki.Contracts.Storage;

namespace Cki.Testing.Builders;

/// <summary>
/// A family as a drop puts it into the checkpoints container: one <c>v1/model.safetensors</c> per source, then the
/// manifest last (a trigger sees a family once its manifest is there). The caller's storage writes the blobs, so the
/// same family serves tests of any project.
/// </summary>
/// <example><c>new FamilyBuilder("f").Checkpoint("a", model).Manifest(FamilyManifestBuilder.DataFree("a"))</c> is the blobs
/// <c>f/a/v1/model.safetensors</c> and <c>f/cki.yaml</c>.</example>
public sealed class FamilyBuilder(string family)
{
    private readonly List<(string Source, byte[] Model)> _checkpoints = [];
    private byte[] _manifest = [];

    /// <summary>Adds version <c>v1</c> of a source, a single-file checkpoint.</summary>
    public FamilyBuilder Checkpoint(string source, byte[] model)
    {
        _checkpoints.Add((source, model));
        return this;
    }

    /// <summary>Sets the manifest.</summary>
    public FamilyBuilder Manifest(FamilyManifestBuilder manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        _manifest = manifest.ToBytes();
        return this;
    }

    /// <summary>The blobs, by name within the checkpoints container, in the order they are uploaded.</summary>
    public IReadOnlyList<(string Name, byte[] Content)> Blobs() =>
    [
        .. _checkpoints.Select(c => (BlobLayout.CheckpointFile(family, c.Source, "v1", CheckpointFileNames.SingleFile), c.Model)),
        (BlobLayout.FamilyManifest(family), _manifest),
    ];

    /// <summary>Writes the blobs one after another with <paramref name="put"/> (name within the checkpoints container, content).</summary>
    public async Task UploadAsync(Func<string, byte[], Task> put)
    {
        ArgumentNullException.ThrowIfNull(put);
        foreach (var (name, content) in Blobs())
        {
            await put(name, content).ConfigureAwait(false);
        }
    }
}
