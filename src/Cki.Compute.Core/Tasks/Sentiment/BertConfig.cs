using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>How token states become one sentence vector.</summary>
public enum SentencePooling
{
    /// <summary>The mean over the tokens the attention mask keeps (sentence-transformers' mean pooling).</summary>
    Mean,

    /// <summary>The first ([CLS]) token's state.</summary>
    Cls,
}

/// <summary>
/// The shape of a BERT encoder, written as <c>config.json</c> beside its safetensors checkpoint (Hugging Face's key
/// names, so the folder reads like a Hub model).
/// </summary>
public sealed record BertConfig
{
    /// <summary>The file name beside the checkpoint.</summary>
    public const string FileName = "config.json";

    /// <summary>Vocabulary size.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;

    /// <summary>Width of every token state.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 384;

    /// <summary>Transformer layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int Layers { get; init; } = 6;

    /// <summary>Attention heads per layer.</summary>
    [JsonPropertyName("num_attention_heads")] public int Heads { get; init; } = 12;

    /// <summary>Width of the feed-forward block.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 1536;

    /// <summary>Positions the position embedding covers.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 512;

    /// <summary>Token types (segments).</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;

    /// <summary>LayerNorm's epsilon, as read from the model.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>The pooling the model's sentence-transformers configuration uses.</summary>
    [JsonPropertyName("pooling")] public SentencePooling Pooling { get; init; } = SentencePooling.Mean;

    /// <summary>Whether sentence vectors are L2-normalised.</summary>
    [JsonPropertyName("normalize")] public bool Normalize { get; init; }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    /// <summary>Reads <c>config.json</c> from <paramref name="folder"/>.</summary>
    public static BertConfig Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {FileName} in {Path.GetFullPath(folder)}: run 'cki-compute data fetch encoders' first.");
        }

        try
        {
            return JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path), Options) ?? throw new FormatException($"{path}: empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Writes <c>config.json</c> into <paramref name="folder"/>.</summary>
    public void Save(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The BERT tensor names and shapes of this configuration, in checkpoint order.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> TensorLayout()
    {
        var list = new List<(string, long[])>
        {
            ("embeddings.word_embeddings.weight", [VocabSize, HiddenSize]),
            ("embeddings.position_embeddings.weight", [MaxPositions, HiddenSize]),
            ("embeddings.token_type_embeddings.weight", [TypeVocabSize, HiddenSize]),
            ("embeddings.LayerNorm.weight", [HiddenSize]),
            ("embeddings.LayerNorm.bias", [HiddenSize]),
        };
        for (var i = 0; i < Layers; i++)
        {
            var p = $"encoder.layer.{i}.";
            foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                list.Add(($"{p}{part}.weight", [HiddenSize, HiddenSize]));
                list.Add(($"{p}{part}.bias", [HiddenSize]));
            }

            list.Add(($"{p}attention.output.LayerNorm.weight", [HiddenSize]));
            list.Add(($"{p}attention.output.LayerNorm.bias", [HiddenSize]));
            list.Add(($"{p}intermediate.dense.weight", [IntermediateSize, HiddenSize]));
            list.Add(($"{p}intermediate.dense.bias", [IntermediateSize]));
            list.Add(($"{p}output.dense.weight", [HiddenSize, IntermediateSize]));
            list.Add(($"{p}output.dense.bias", [HiddenSize]));
            list.Add(($"{p}output.LayerNorm.weight", [HiddenSize]));
            list.Add(($"{p}output.LayerNorm.bias", [HiddenSize]));
        }

        return list;
    }
}
