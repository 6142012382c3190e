using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes a checkpoint tensor by tensor: one file when it fits in one shard, otherwise
/// <c>model-0000N-of-0000M.safetensors</c> files plus <c>model.safetensors.index.json</c>, the index last so a
/// reader that goes by it never sees a partial checkpoint.
/// </summary>
public sealed class ShardedCheckpointWriter : IDisposable
{
    private readonly CheckpointLocations _locations;
    private readonly string _folderFile;
    private readonly List<List<TensorSpec>> _plan;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private int _shard = -1;
    private SafetensorsWriter? _current;

    private ShardedCheckpointWriter(CheckpointLocations locations, string folderFile, List<List<TensorSpec>> plan, IReadOnlyDictionary<string, string> metadata)
    {
        _locations = locations;
        _folderFile = folderFile;
        _plan = plan;
        _metadata = metadata;
    }

    /// <summary>
    /// Where the checkpoint can be opened once committed: the single file, or the index.
    /// </summary>
    public string Location => _plan.Count == 1
        ? CheckpointLocations.Sibling(_folderFile, CheckpointFileNames.SingleFile)
        : CheckpointLocations.Sibling(_folderFile, CheckpointFileNames.ShardIndex);

    /// <summary>Number of files the tensors go into.</summary>
    public int ShardCount => _plan.Count;

    /// <summary>
    /// Plans the shards: tensors in layout order, a new shard whenever the next tensor would take the current one
    /// past <paramref name="maxShardBytes"/> (a tensor larger than that gets a shard of its own).
    /// </summary>
    /// <param name="folder">A local folder or a blob URL prefix ending in '/'.</param>
    /// <param name="layout">Every tensor, in the order they will be written.</param>
    /// <param name="maxShardBytes">The most data one shard should hold.</param>
    /// <param name="metadata">Written to every shard's <c>__metadata__</c> and to the index.</param>
    /// <param name="locations">How to open locations; from the environment when null.</param>
    public static ShardedCheckpointWriter Create(string folder, IReadOnlyList<TensorSpec> layout, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null, CheckpointLocations? locations = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        var plan = new List<List<TensorSpec>> { new() };
        long filled = 0;
        foreach (var spec in layout)
        {
            if (plan[^1].Count > 0 && filled + spec.ByteCount > maxShardBytes)
            {
                plan.Add([]);
                filled = 0;
            }

            plan[^1].Add(spec);
            filled += spec.ByteCount;
        }

        var anchor = BlobClients.IsUrl(folder) ? folder.TrimEnd('/') + "/x" : Path.Combine(folder, "x");
        return new ShardedCheckpointWriter(locations ?? CheckpointLocations.FromEnvironment(), anchor, plan,
            metadata ?? new Dictionary<string, string>());
    }

    /// <summary>Writes the next tensor in layout order, opening the next shard when the current one is full.</summary>
    public void Write(string name, Tensor tensor, CancellationToken cancellationToken = default)
    {
        while (_current?.Next is null)
        {
            _current?.Commit(cancellationToken);
            _current?.Dispose();
            _current = null;
            if (++_shard >= _plan.Count)
            {
                throw new InvalidOperationException($"{Location}: every tensor is written; '{name}' is one too many.");
            }

            OpenShard();
        }

        _current.Write(name, tensor, cancellationToken);
    }

    /// <summary>Commits the last shard and then the index.</summary>
    public void Commit(CancellationToken cancellationToken = default)
    {
        if (_shard < 0 && _plan is [{ Count: 0 }])
        {
            _shard = 0;
            OpenShard();
        }

        if (_current is null || _shard != _plan.Count - 1)
        {
            throw new InvalidOperationException($"{Location}: shards {_shard + 2}..{_plan.Count} were never written.");
        }

        _current.Commit(cancellationToken);
        _current.Dispose();
        _current = null;
        if (_plan.Count == 1)
        {
            return;
        }

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _plan.Count; i++)
        {
            foreach (var spec in _plan[i])
            {
                weightMap[spec.Name] = CheckpointFileNames.Shard(i + 1, _plan.Count);
            }
        }

        var index = new ShardIndex(weightMap, _plan.Sum(p => p.Sum(s => s.ByteCount)), _metadata);
        using var sink = _locations.OpenWrite(Location);
        sink.Write(index.ToJson(), cancellationToken);
        sink.Commit(cancellationToken);
    }

    private void OpenShard()
    {
        var file = _plan.Count == 1 ? CheckpointFileNames.SingleFile : CheckpointFileNames.Shard(_shard + 1, _plan.Count);
        _current = SafetensorsWriter.Create(_locations.OpenWrite(CheckpointLocations.Sibling(_folderFile, file)), _plan[_shard], _metadata);
    }

    /// <inheritdoc />
    public void Dispose() => _current?.Dispose();
}
