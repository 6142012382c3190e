using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// A model checkpoint, one file or a shard index with its shards, read tensor by tensor. Opening it reads and
/// validates every header (a few range reads); tensor data is read only when asked for.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private readonly List<SafetensorsReader> _shards;
    private readonly Dictionary<string, SafetensorsReader> _shardOf;
    private readonly List<HashingByteSource> _hashes;

    private Checkpoint(string location, List<SafetensorsReader> shards, IReadOnlyDictionary<string, string> metadata, List<HashingByteSource> hashes)
    {
        Location = location;
        _shards = shards;
        _hashes = hashes;
        Metadata = metadata;
        _shardOf = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            foreach (var entry in shard.Header.Tensors)
            {
                _shardOf[entry.Name] = shard;
            }
        }

        Tensors = shards.SelectMany(s => s.Header.Tensors.Select(t => t.Spec)).ToList();
    }

    /// <summary>Where the checkpoint was opened from (the file, or the index).</summary>
    public string Location { get; }

    /// <summary>The files read: one, or the shards.</summary>
    public IReadOnlyList<string> Files => _shards.Select(s => s.Name).ToList();

    /// <summary>Every tensor, shard by shard, each in the order of its bytes.</summary>
    public IReadOnlyList<TensorSpec> Tensors { get; }

    /// <summary>The <c>__metadata__</c> of a single file, or the index's metadata merged over the first shard's.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Total size of the files in bytes.</summary>
    public long TotalBytes => _shards.Sum(s => s.Length);

    /// <summary>
    /// Opens a checkpoint: a <c>.safetensors</c> file, a shard index, or a folder holding one of them; a local path
    /// or a blob URL. With <paramref name="hashFiles"/>, the SHA-256 of every file is computed as it is read (see
    /// <see cref="FileDigests"/>).
    /// </summary>
    public static Checkpoint Open(string location, CheckpointLocations locations, bool hashFiles = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentNullException.ThrowIfNull(locations);
        location = ResolveFolder(location);
        var hashes = new List<HashingByteSource>();
        IByteSource OpenFile(string file)
        {
            var source = locations.OpenRead(file, cancellationToken);
            if (!hashFiles)
            {
                return source;
            }

            var hashing = new HashingByteSource(source);
            hashes.Add(hashing);
            return hashing;
        }

        if (!ShardIndex.IsIndex(location))
        {
            var reader = SafetensorsReader.Open(OpenFile(location), cancellationToken);
            return new Checkpoint(location, [reader], reader.Header.Metadata, hashes);
        }

        ShardIndex index;
        using (var source = locations.OpenRead(location, cancellationToken))
        {
            index = ShardIndex.Read(source, cancellationToken);
        }

        var shards = new List<SafetensorsReader>();
        try
        {
            foreach (var file in index.Shards)
            {
                shards.Add(SafetensorsReader.Open(OpenFile(CheckpointLocations.Sibling(location, file)), cancellationToken));
            }

            CheckAgainstIndex(location, index, shards);
            var metadata = new Dictionary<string, string>(shards.FirstOrDefault()?.Header.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in index.Metadata)
            {
                metadata[key] = value;
            }

            return new Checkpoint(location, shards, metadata, hashes);
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The SHA-256 of every file (opened with <c>hashFiles</c>), finishing what reading has not hashed yet.
    /// </summary>
    public IReadOnlyList<(string File, string Sha256)> FileDigests(CancellationToken cancellationToken = default)
    {
        if (_hashes.Count == 0)
        {
            throw new InvalidOperationException($"{Location}: opened without hashFiles.");
        }

        return _hashes.Select(h => (h.Name, h.Finish(cancellationToken))).ToList();
    }

    /// <summary>Whether the files' SHA-256 are computed as they are read (opened with <c>hashFiles</c>).</summary>
    public bool HashesFiles => _hashes.Count > 0;

    /// <summary>Whether the checkpoint holds a tensor of that name.</summary>
    public bool Contains(string name) => _shardOf.ContainsKey(name);

    /// <summary>Reads one tensor into a new CPU tensor.</summary>
    public Tensor ReadTensor(string name, CancellationToken cancellationToken = default) =>
        _shardOf.TryGetValue(name, out var shard)
            ? shard.ReadTensor(name, cancellationToken)
            : throw new CheckpointFormatException(Location, CheckpointRule.MissingTensor, "no tensor of this name in the checkpoint.", name);

    /// <summary>Reads one tensor into an existing buffer (see <see cref="SafetensorsReader.ReadTensor(string, Tensor, CancellationToken)"/>).</summary>
    public void ReadTensor(string name, Tensor destination, CancellationToken cancellationToken = default)
    {
        if (!_shardOf.TryGetValue(name, out var shard))
        {
            throw new CheckpointFormatException(Location, CheckpointRule.MissingTensor, "no tensor of this name in the checkpoint.", name);
        }

        shard.ReadTensor(name, destination, cancellationToken);
    }

    private static string ResolveFolder(string location)
    {
        if (BlobClients.IsUrl(location) || !Directory.Exists(location))
        {
            return location;
        }

        var index = Path.Combine(location, CheckpointFileNames.ShardIndex);
        return File.Exists(index) ? index : Path.Combine(location, CheckpointFileNames.SingleFile);
    }

    private static void CheckAgainstIndex(string location, ShardIndex index, List<SafetensorsReader> shards)
    {
        long total = 0;
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (shardFile, shard) in index.Shards.Zip(shards))
        {
            foreach (var entry in shard.Header.Tensors)
            {
                if (!index.WeightMap.TryGetValue(entry.Name, out var mapped) || mapped != shardFile)
                {
                    throw new CheckpointFormatException(location, CheckpointRule.InvalidIndex,
                        $"shard '{shardFile}' holds the tensor, but the weight_map {(mapped is null ? "does not list it" : $"puts it in '{mapped}'")}.", entry.Name);
                }

                if (!found.Add(entry.Name))
                {
                    throw new CheckpointFormatException(location, CheckpointRule.DuplicateName, "the tensor is in more than one shard.", entry.Name);
                }

                total += entry.Spec.ByteCount;
            }
        }

        foreach (var (name, shard) in index.WeightMap)
        {
            if (!found.Contains(name))
            {
                throw new CheckpointFormatException(location, CheckpointRule.InvalidIndex, $"the weight_map puts the tensor in '{shard}', which does not hold it.", name);
            }
        }

        if (index.TotalSize is { } stated && stated != total)
        {
            throw new CheckpointFormatException(location, CheckpointRule.InvalidIndex, $"metadata.total_size is {stated}, but the shards' tensors hold {total} bytes.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _shards.ForEach(s => s.Dispose());
}
