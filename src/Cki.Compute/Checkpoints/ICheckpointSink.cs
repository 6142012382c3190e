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

    /// <summary>Makes the written bytes visible under <see cref="Name"/>, replacing what was there.</summary>
    void Commit(CancellationToken cancellationToken = default);
}
