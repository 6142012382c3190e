using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>
/// The frozen encoder's sentence vectors of every sentence, computed once and cached as a safetensors file beside the
/// sentences (<c>features-{encoder}.safetensors</c>: per split, <c>{split}.x</c> [N, H], <c>{split}.label</c> [N] and
/// <c>{split}.domain</c> [N], the index into <see cref="SentimentData.Domains"/>), so heads train in seconds.
/// </summary>
public sealed class SentimentFeatures : IDisposable
{
    private static readonly string[] Parts = ["x", "label", "domain"];
    private readonly Dictionary<TaskSplit, (Tensor X, Tensor Label, Tensor Domain)> _splits;

    private SentimentFeatures(Dictionary<TaskSplit, (Tensor, Tensor, Tensor)> splits) => _splits = splits;

    /// <summary>Width of the vectors.</summary>
    public long Width => _splits[TaskSplit.Train].X.shape[1];

    /// <summary>The vectors, labels (0/1, float) and domain indices of <paramref name="split"/>.</summary>
    public (Tensor X, Tensor Label, Tensor Domain) this[TaskSplit split] => _splits[split];

    /// <summary>The name a features file has in a workflow job's data folder.</summary>
    public const string FileName = "features.safetensors";

    /// <summary>Loads a features file as <see cref="LoadOrCompute"/> caches it.</summary>
    public static SentimentFeatures Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No sentiment features at {Path.GetFullPath(path)}: 'cki-compute experiment sentiment' caches them in .cache/sentiment/features-{{encoder}}.safetensors.");
        }

        using var reader = SafetensorsReader.Open(path);
        return new SentimentFeatures(Enum.GetValues<TaskSplit>().ToDictionary(s => s, s =>
        {
            foreach (var part in Parts)
            {
                if (!reader.Contains(Key(s, part)))
                {
                    throw new InvalidDataException($"{path}: no tensor '{Key(s, part)}' (not a sentiment features file).");
                }
            }

            return (reader.ReadTensor(Key(s, "x")), reader.ReadTensor(Key(s, "label")), reader.ReadTensor(Key(s, "domain")));
        }));
    }

    /// <summary>
    /// Loads the cached features of <paramref name="encoderFolder"/>'s encoder from <paramref name="cacheFolder"/>, or
    /// computes and caches them when missing or made from other sentences.
    /// </summary>
    public static SentimentFeatures LoadOrCompute(SentimentData data, string encoderFolder, string cacheFolder, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(cacheFolder, $"features-{Path.GetFileName(Path.TrimEndingDirectorySeparator(encoderFolder))}.safetensors");
        var fingerprint = Fingerprint(data);
        if (File.Exists(path))
        {
            using var reader = SafetensorsReader.Open(path);
            if (reader.Header.Metadata.TryGetValue("sentences", out var cached) && cached == fingerprint)
            {
                log?.Invoke($"features from {path}");
                return new SentimentFeatures(Enum.GetValues<TaskSplit>().ToDictionary(s => s,
                    s => (reader.ReadTensor(Key(s, "x")), reader.ReadTensor(Key(s, "label")), reader.ReadTensor(Key(s, "domain")))));
            }
        }

        using var encoder = BertEncoder.Load(encoderFolder);
        var tokenizer = SentenceTokenizer.Load(Path.Combine(encoderFolder, "vocab.txt"));
        var splits = new Dictionary<TaskSplit, (Tensor, Tensor, Tensor)>();
        foreach (var split in Enum.GetValues<TaskSplit>())
        {
            var sentences = data.Select(null, split);
            log?.Invoke($"embedding {sentences.Count} {split.ToString().ToLowerInvariant()} sentences with {encoderFolder}");
            var x = SentenceEmbedder.Embed(encoder, tokenizer, sentences.Select(s => s.Text).ToList());
            var label = tensor(sentences.Select(s => (float)s.Label).ToArray());
            var domain = tensor(sentences.Select(s => (float)SentimentData.Domains.ToList().IndexOf(s.Domain)).ToArray());
            splits[split] = (x, label, domain);
        }

        var features = new SentimentFeatures(splits);
        features.Save(path, fingerprint);
        log?.Invoke($"features cached in {path}");
        return features;
    }

    private void Save(string path, string fingerprint)
    {
        var layout = new List<TensorSpec>();
        foreach (var (split, (x, label, domain)) in _splits)
        {
            layout.Add(new TensorSpec(Key(split, "x"), TensorDtype.F32, x.shape));
            layout.Add(new TensorSpec(Key(split, "label"), TensorDtype.F32, label.shape));
            layout.Add(new TensorSpec(Key(split, "domain"), TensorDtype.F32, domain.shape));
        }

        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout, new Dictionary<string, string> { ["sentences"] = fingerprint });
        foreach (var (split, (x, label, domain)) in _splits)
        {
            writer.Write(Key(split, "x"), x);
            writer.Write(Key(split, "label"), label);
            writer.Write(Key(split, "domain"), domain);
        }

        writer.Commit();
    }

    // Which sentences, in which splits: the cache is reused only for exactly these.
    private static string Fingerprint(SentimentData data)
    {
        var text = string.Join('\n', data.Sentences.Select(s => $"{s.Domain}\t{s.Split}\t{s.Label}\t{s.Text}"));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static string Key(TaskSplit split, string part) => $"{split.ToString().ToLowerInvariant()}.{part}";

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (x, label, domain) in _splits.Values)
        {
            x.Dispose();
            label.Dispose();
            domain.Dispose();
        }
    }
}
