using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>
/// Embeds many sentences with a frozen encoder: batches of sentences of similar token length (sorted by length, so
/// little compute goes to padding), no gradients; the vectors come back in the input order.
/// </summary>
public static class SentenceEmbedder
{
    /// <summary>The sentence vectors [N, H] of <paramref name="sentences"/>, in their order.</summary>
    public static Tensor Embed(BertEncoder encoder, SentenceTokenizer tokenizer, IReadOnlyList<string> sentences, int batchSize = 64, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var lengths = sentences.Select(s => tokenizer.Encode(s).Count).ToArray();
        var order = Enumerable.Range(0, sentences.Count).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
        var result = zeros(sentences.Count, encoder.Config.HiddenSize);
        using var noGrad = no_grad();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = order.Skip(start).Take(batchSize).ToArray();
            using var tokens = tokenizer.EncodeBatch(rows.Select(i => sentences[i]).ToList());
            result.index_copy_(0, tensor(rows.Select(i => (long)i).ToArray()), encoder.Embed(tokens));
            progress?.Invoke(Math.Min(order.Length, start + batchSize));
        }

        return result;
    }
}
