namespace Cki.Compute.Checkpoints;

/// <summary>
/// Where a checkpoint file is written, sequentially. Nothing is visible under the final name until
/// <see cref="Commit"/>; disposing an uncommitted sink discards what was written.
/// </summary>
public interface ICheckpointSink : IDisposable
{
    /// <summary>The final name, for messages.</summary>
    string Name { get; }

    /// <summary>Appends bytes.</summary>
    void Write(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Overwrites bytes already written at <paramref name="offset"/>, before the commit. Only the header's bytes
    /// (within the first <see cref="PatchableBytes"/>) can be patched: that is how values known only at the end,
    /// such as the inputs' SHA-256, reach the header without a second pass.
    /// </summary>
    void Patch(long offset, ReadOnlySpan<byte> bytes);

    /// <summary>How many leading bytes <see cref="Patch"/> may touch.</summary>
    long PatchableBytes { get; }

    /// <summary>Makes the written bytes visible under <see cref="Name"/>, replacing what was there.</summary>
    void Commit(CancellationToken cancellationToken = default);
}
