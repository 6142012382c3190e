using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes a checkpoint tensor by tensor: one file when it fits in one shard, otherwise
/// <c>model-0000N-of-0000M.safetensors</c> files plus <c>model.safetensors.index.json</c>. Nothing is visible
/// until <see cref="Commit"/>, which commits every shard and then the index, so a reader that goes by the index
/// never sees a partial checkpoint.
/// </summary>
public sealed class ShardedCheckpointWriter : IDisposable
{
    private readonly CheckpointLocations _locations;
    private readonly string _folderFile;
    private readonly List<List<TensorSpec>> _plan;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly IReadOnlyDictionary<string, int>? _deferred;
    private readonly List<SafetensorsWriter> _shards = [];
    private readonly string _singleFileName;

    private ShardedCheckpointWriter(CheckpointLocations locations, string folderFile, List<List<TensorSpec>> plan,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, int>? deferred, string singleFileName)
    {
        _singleFileName = singleFileName;
        _locations = locations;
        _folderFile = folderFile;
        _plan = plan;
        _metadata = metadata;
        _deferred = deferred;
    }

    /// <summary>Where the checkpoint can be opened once committed: the single file, or the index.</summary>
    public string Location => _plan.Count == 1
        ? CheckpointLocations.Sibling(_folderFile, _singleFileName)
        : CheckpointLocations.Sibling(_folderFile, CheckpointFileNames.ShardIndex);

    /// <summary>Number of files the tensors go into.</summary>
    public int ShardCount => _plan.Count;

    /// <summary>
    /// Plans the shards: tensors in layout order, a new shard whenever the next tensor would take the current one
    /// past <paramref name="maxShardBytes"/> (a tensor larger than that gets a shard of its own).
    /// </summary>
    /// <param name="folder">A local folder or a blob URL prefix.</param>
    /// <param name="layout">Every tensor, in the order they will be written.</param>
    /// <param name="maxShardBytes">The most data one shard should hold.</param>
    /// <param name="metadata">Written to every shard's <c>__metadata__</c> and to the index.</param>
    /// <param name="locations">How to open locations; <see cref="CheckpointLocations.Default"/> when null.</param>
    /// <param name="deferred">Metadata keys whose values come at <see cref="Commit"/>, with their fixed lengths.</param>
    /// <param name="singleFileName">The file name when everything fits in one shard.</param>
    public static ShardedCheckpointWriter Create(string folder, IReadOnlyList<TensorSpec> layout, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null, CheckpointLocations? locations = null, IReadOnlyDictionary<string, int>? deferred = null,
        string singleFileName = CheckpointFileNames.SingleFile)
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
        return new ShardedCheckpointWriter(locations ?? CheckpointLocations.Default, anchor, plan,
            metadata ?? new Dictionary<string, string>(), deferred, singleFileName);
    }

    /// <summary>Writes the next tensor in layout order, opening the next shard when the current one is full.</summary>
    public void Write(string name, Tensor tensor, CancellationToken cancellationToken = default)
    {
        while (_shards.Count == 0 || _shards[^1].Next is null)
        {
            if (_shards.Count == _plan.Count)
            {
                throw new InvalidOperationException($"{Location}: every tensor is written; '{name}' is one too many.");
            }

            OpenShard();
        }

        _shards[^1].Write(name, tensor, cancellationToken);
    }

    /// <summary>Commits every shard (filling deferred metadata) and then the index.</summary>
    public void Commit(IReadOnlyDictionary<string, string>? deferredValues = null, CancellationToken cancellationToken = default)
    {
        while (_shards.Count < _plan.Count && _plan[_shards.Count].Count == 0)
        {
            OpenShard();
        }

        if (_shards.Count != _plan.Count)
        {
            throw new InvalidOperationException($"{Location}: shards {_shards.Count + 1}..{_plan.Count} were never written.");
        }

        foreach (var shard in _shards)
        {
            shard.Commit(deferredValues, cancellationToken);
        }

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

        var metadata = new Dictionary<string, string>(_metadata, StringComparer.Ordinal);
        foreach (var (key, value) in deferredValues ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        var index = new ShardIndex(weightMap, _plan.Sum(p => p.Sum(s => s.ByteCount)), metadata);
        using var sink = _locations.OpenWrite(Location);
        sink.Write(index.ToJson(), cancellationToken);
        sink.Commit(cancellationToken);
    }

    private void OpenShard()
    {
        var number = _shards.Count;
        var file = _plan.Count == 1 ? _singleFileName : CheckpointFileNames.Shard(number + 1, _plan.Count);
        _shards.Add(SafetensorsWriter.Create(_locations.OpenWrite(CheckpointLocations.Sibling(_folderFile, file)), _plan[number], _metadata, _deferred));
    }

    /// <inheritdoc />
    public void Dispose() => _shards.ForEach(s => s.Dispose());
}
