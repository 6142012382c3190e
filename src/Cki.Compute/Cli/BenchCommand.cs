using System.CommandLine;
using Cki.Compute.Benchmarks;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute bench</c>: benchmarks that print figures.</summary>
internal static class BenchCommand
{
    private static Command EncoderBench()
    {
        var encoder = new Option<string>("--encoder") { Description = "Encoder folder (data fetch encoders).", DefaultValueFactory = _ => Path.Combine(".cache", "encoders", "minilm") };
        var data = new Option<string>("--data") { Description = "Sentiment cache (data fetch sentiment): its sentences are embedded.", DefaultValueFactory = _ => Path.Combine(".cache", "sentiment") };
        var batches = new Option<int[]>("--batch") { Description = "Batch sizes.", DefaultValueFactory = _ => [32, 64, 128], AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--sentences") { Description = "How many sentences to embed per batch size.", DefaultValueFactory = _ => 1000 };
        var command = new Command("encoder", "Sentences per second of the frozen BERT encoder (tokenization, forward pass, pooling; batched, no gradients).")
        {
            encoder, data, batches, count,
        };
        command.SetGuardedAction((parse, _) =>
        {
            var sentences = Tasks.Sentiment.SentimentData.Load(parse.GetValue(data)!).Sentences.Select(s => s.Text).Take(Math.Max(1, parse.GetValue(count))).ToList();
            new EncoderBenchmark(parse.GetValue(encoder)!, sentences, parse.GetValue(batches)!, Console.Out).Run();
            return Task.FromResult(0);
        });
        return command;
    }

    public static Command Create()
    {
        var sizeGb = new Option<double>("--size-gb") { Description = "Checkpoint size to generate.", DefaultValueFactory = _ => 2.0 };
        var tensorMb = new Option<int>("--tensor-mb") { Description = "Size of each tensor.", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; the best of them is reported.", DefaultValueFactory = _ => 4 };
        var folder = new Option<string>("--dir")
        {
            Description = "Scratch folder (the files are deleted afterwards).",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "cki-bench"),
        };
        var io = new Command("io", "Checkpoint read and write throughput against plain file I/O of the same bytes, and peak memory while reading.")
        {
            sizeGb, tensorMb, rounds, folder,
        };
        io.SetGuardedAction((parse, _) =>
        {
            var bench = new IoBenchmark(parse.GetValue(folder)!, (long)(parse.GetValue(sizeGb) * 1e9),
                (long)parse.GetValue(tensorMb) << 20, Math.Max(1, parse.GetValue(rounds)), Console.Out);
            bench.Run();
            return Task.FromResult(0);
        });
        var modelGb = new Option<double>("--model-gb") { Description = "Size of each generated model.", DefaultValueFactory = _ => 1.0 };
        var models = new Option<int[]>("--models") { Description = "Model counts K to merge (the targets are for 2 and 4).", DefaultValueFactory = _ => [2, 4], AllowMultipleArgumentsPerToken = true };
        var mergeTensorMb = new Option<int>("--tensor-mb") { Description = "Size of each tensor.", DefaultValueFactory = _ => 64 };
        var mergeRounds = new Option<int>("--rounds") { Description = "Rounds; the best of them is reported for each figure.", DefaultValueFactory = _ => 2 };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Tensor type of the generated models: f32 (average and global-only, with and without input hashing) or bf16/f16 " +
                "(average, global-only and TIES against a generated base, in float32 and rounded back).",
            DefaultValueFactory = _ => "f32",
        };
        dtype.AcceptOnlyFromAmong("f32", "bf16", "f16");
        var inProcessOnly = new Option<bool>("--in-process-only") { Description = "Skip the whole-process figures (cki-compute merge and dd as child processes)." };
        var mergeFolder = new Option<string>("--dir")
        {
            Description = "Scratch folder (the files are deleted afterwards).",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "cki-bench-merge"),
        };
        var merge = new Command("merge", "Merge throughput for K generated models (F32: average and global-only, with and without input hashing; " +
            "BF16/F16: average, global-only and TIES, targets 80 %, 70 %, 50 %, and average with input hashing) against a plain " +
            "copy of the same bytes (64 MB blocks, fsync), in this process and as whole processes (cki-compute merge against dd), with the ratios, " +
            "whether each target is met (whole process: average >= 80 %, global-only >= 70 %, with input hashing >= 50 %) and peak memory against " +
            "(K + 1) x largest tensor + 300 MB.")
        {
            modelGb, models, mergeTensorMb, mergeRounds, dtype, inProcessOnly, mergeFolder,
        };
        merge.SetGuardedAction((parse, _) =>
        {
            new MergeBenchmark(parse.GetValue(mergeFolder)!, (long)(parse.GetValue(modelGb) * 1e9), (long)parse.GetValue(mergeTensorMb) << 20,
                parse.GetValue(models)!, Math.Max(1, parse.GetValue(mergeRounds)), !parse.GetValue(inProcessOnly),
                Enum.Parse<TensorDtype>(parse.GetValue(dtype)!, ignoreCase: true), Console.Out).Run();
            return Task.FromResult(0);
        });
        return new Command("bench", "Benchmarks that print throughput and memory figures.") { io, merge, EncoderBench() };
    }
}
