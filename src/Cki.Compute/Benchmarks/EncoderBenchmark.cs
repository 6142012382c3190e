using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Tasks.Sentiment;

namespace Cki.Compute.Benchmarks;

/// <summary>
/// Sentence throughput of the frozen BERT encoder: tokenization plus the forward pass and pooling, batched, without
/// gradients, over real sentences (the sentiment data), at several batch sizes: in file order (each batch padded
/// to its longest sentence), and sorted by length as <see cref="SentenceEmbedder"/> (the sentiment task's feature
/// cache) embeds them. A first batch warms up and is not counted.
/// </summary>
internal sealed class EncoderBenchmark(string encoderFolder, IReadOnlyList<string> sentences, IReadOnlyList<int> batchSizes, TextWriter output)
{
    public void Run()
    {
        using var encoder = BertEncoder.Load(encoderFolder);
        var tokenizer = SentenceTokenizer.Load(Path.Combine(encoderFolder, "vocab.txt"));
        output.WriteLine(F($"bench encoder: {encoderFolder}, {sentences.Count} sentences, {TorchSharp.torch.get_num_threads()} torch threads, at most {tokenizer.MaxTokens} tokens"));
        output.WriteLine("batch  order         sentences/s  seconds  CPU seconds");
        Embed(encoder, tokenizer, sentences.Take(batchSizes[0]).ToList());
        foreach (var size in batchSizes)
        {
            Measure(size, "file order", () =>
            {
                for (var start = 0; start < sentences.Count; start += size)
                {
                    Embed(encoder, tokenizer, sentences.Skip(start).Take(size).ToList());
                }
            });
            Measure(size, "by length", () => SentenceEmbedder.Embed(encoder, tokenizer, sentences, size).Dispose());
        }
    }

    private void Measure(int size, string order, Action run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        run();
        var seconds = clock.Elapsed.TotalSeconds;
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        output.WriteLine(F($"{size,5}  {order,-12}  {sentences.Count / seconds,11:F0}  {seconds,7:F2}  {used,11:F2}"));
    }

    private static void Embed(BertEncoder encoder, SentenceTokenizer tokenizer, IReadOnlyList<string> batch)
    {
        using var tokens = tokenizer.EncodeBatch(batch);
        using var vectors = encoder.Embed(tokens);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
