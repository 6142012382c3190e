using Cki.Compute.Checkpoints;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>
/// A frozen BERT encoder as a plain function of its named tensors (BERT names, [out, in] linear weights): embeddings
/// (word + position + token type, LayerNorm), then per layer self-attention with the padding masked out, residual
/// and LayerNorm, a GELU (erf) feed-forward block, residual and LayerNorm; the sentence vector is pooled as the
/// model's configuration says (mean over the mask, or [CLS]) and optionally L2-normalised. Inference only.
/// </summary>
public sealed class BertEncoder : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights;

    private BertEncoder(BertConfig config, Dictionary<string, Tensor> weights)
    {
        Config = config;
        _weights = weights;
    }

    /// <summary>The encoder's shape, epsilon and pooling.</summary>
    public BertConfig Config { get; }

    /// <summary>Loads the encoder of <paramref name="folder"/> (model.safetensors and config.json, as <c>data fetch encoders</c> writes them).</summary>
    public static BertEncoder Load(string folder, string checkpointFile = "model.safetensors")
    {
        var config = BertConfig.Load(folder);
        var path = Path.Combine(folder, checkpointFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {checkpointFile} in {Path.GetFullPath(folder)}: run 'cki-compute data fetch encoders' first.");
        }

        using var reader = SafetensorsReader.Open(path);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, shape) in config.TensorLayout())
            {
                if (!reader.Contains(name))
                {
                    throw new InvalidDataException($"{path}: no tensor '{name}', which a BERT encoder of this config.json needs.");
                }

                var tensor = reader.ReadTensor(name).to_type(ScalarType.Float32);
                if (!tensor.shape.SequenceEqual(shape))
                {
                    throw new InvalidDataException($"{path}: '{name}' is [{string.Join(", ", tensor.shape)}], config.json needs [{string.Join(", ", shape)}].");
                }

                weights[name] = tensor;
            }
        }
        catch
        {
            weights.Values.ToList().ForEach(t => t.Dispose());
            throw;
        }

        return new BertEncoder(config, weights);
    }

    /// <summary>The last layer's token states [B, L, H] of a tokenized batch.</summary>
    public Tensor TokenStates(TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var length = batch.Ids.shape[1];
        if (length > Config.MaxPositions)
        {
            throw new ArgumentException($"A batch of {length} tokens is longer than the encoder's {Config.MaxPositions} positions.", nameof(batch));
        }

        var positions = arange(length, dtype: ScalarType.Int64);
        var x = Lookup("embeddings.word_embeddings.weight", batch.Ids)
            + Lookup("embeddings.position_embeddings.weight", positions.unsqueeze(0))
            + Lookup("embeddings.token_type_embeddings.weight", batch.TokenTypes);
        x = Norm(x, "embeddings.LayerNorm");
        // Padding gets the lowest float as an additive score, so softmax gives it zero weight.
        var blocked = batch.Mask.eq(0).unsqueeze(1).unsqueeze(1);
        var additive = zeros(blocked.shape, ScalarType.Float32).masked_fill(blocked, float.MinValue);
        for (var i = 0; i < Config.Layers; i++)
        {
            x = Layer(x, additive, $"encoder.layer.{i}.");
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The sentence vectors [B, H] of a tokenized batch, pooled (and normalised) as the model's configuration says.</summary>
    public Tensor Embed(TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var states = TokenStates(batch);
        var pooled = Config.Pooling == SentencePooling.Cls
            ? states.select(1, 0)
            : MeanPool(states, batch.Mask);
        if (Config.Normalize)
        {
            pooled = F.normalize(pooled, p: 2, dim: 1);
        }

        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>The mean of the token states the mask keeps (sentence-transformers' mean pooling).</summary>
    public static Tensor MeanPool(Tensor states, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var m = mask.unsqueeze(-1).to_type(states.dtype);
        return ((states * m).sum(1) / m.sum(1).clamp_min(1e-9)).MoveToOuterDisposeScope();
    }

    private Tensor Layer(Tensor x, Tensor additive, string prefix)
    {
        var (batch, length, hidden) = (x.shape[0], x.shape[1], x.shape[2]);
        var heads = Config.Heads;
        var width = hidden / heads;
        Tensor Split(Tensor t) => t.view(batch, length, heads, width).transpose(1, 2);
        var q = Split(Linear(x, prefix + "attention.self.query"));
        var k = Split(Linear(x, prefix + "attention.self.key"));
        var v = Split(Linear(x, prefix + "attention.self.value"));
        var scores = q.matmul(k.transpose(-1, -2)).div_(Math.Sqrt(width)).add_(additive);
        var context = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(batch, length, hidden);
        x = Norm(Linear(context, prefix + "attention.output.dense").add_(x), prefix + "attention.output.LayerNorm");
        var inner = F.gelu(Linear(x, prefix + "intermediate.dense"));
        return Norm(Linear(inner, prefix + "output.dense").add_(x), prefix + "output.LayerNorm");
    }

    private Tensor Lookup(string table, Tensor ids)
    {
        var shape = ids.shape.Append(Config.HiddenSize).ToArray();
        return W(table).index_select(0, ids.flatten()).view(shape);
    }

    private Tensor Linear(Tensor x, string name) => F.linear(x, W(name + ".weight"), W(name + ".bias"));

    private Tensor Norm(Tensor x, string name) =>
        F.layer_norm(x, [Config.HiddenSize], W(name + ".weight"), W(name + ".bias"), Config.LayerNormEps);

    private Tensor W(string name) => _weights[name];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in _weights.Values)
        {
            tensor.Dispose();
        }
    }
}
