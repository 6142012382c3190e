using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Diagnostics;
using Cki.Compute.Merging;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Benchmarks;

/// <summary>
/// Merge throughput for K generated checkpoints against a plain copy of the same bytes (<see cref="PlainCopy"/>) in
/// the same run: both in this process and as whole processes (<c>cki-compute merge</c> against <c>dd</c>, start-up
/// included), with the ratios, the targets and the peak resident memory of each in-process merge above the baseline
/// before it. F32 models: <c>average</c> and <c>global-only</c>, with and without input hashing. BF16 and F16 models
/// (float32 arithmetic, rounded back): <c>average</c>, <c>global-only</c> and TIES (against a generated base, which the
/// plain copy then reads too). Throughput counts bytes read plus bytes written per second; each figure is the best of
/// <c>rounds</c>. The start-up of a whole process (a merge of two 64-element models) is reported first.
/// </summary>
internal sealed class MergeBenchmark(string folder, long modelBytes, long tensorBytes, IReadOnlyList<int> modelCounts, int rounds, bool wholeProcess,
    TensorDtype dtype, TextWriter output)
{
    /// <summary>The F32 cases and their targets (ratio of the whole-process merge to the whole-process plain copy).</summary>
    private static readonly (string Method, bool Hash, double Target)[] FullPrecisionCases =
        [("average", false, 0.8), ("global-only", false, 0.7), ("average", true, 0.5), ("global-only", true, 0.5)];

    /// <summary>The BF16/F16 cases and their targets.</summary>
    private static readonly (string Method, bool Hash, double Target)[] HalfPrecisionCases =
        [("average", false, 0.8), ("global-only", false, 0.7), ("ties", false, 0.5), ("average", true, 0.5)];

    public void Run()
    {
        Directory.CreateDirectory(folder);
        var cases = dtype == TensorDtype.F32 ? FullPrecisionCases : HalfPrecisionCases;
        var elementSize = new TensorSpec("x", dtype, [1]).ByteCount;
        var columns = (int)Math.Min(1024, tensorBytes / elementSize);
        var rows = tensorBytes / elementSize / columns;
        var count = (int)Math.Max(1, (modelBytes + (rows * columns * elementSize) - 1) / (rows * columns * elementSize));
        var layout = Enumerable.Range(0, count).Select(i => new TensorSpec($"layers.{i}.weight", dtype, [rows, columns])).ToList();
        var bytes = layout.Sum(s => s.ByteCount);
        var largest = layout.Max(s => s.ByteCount);
        var needsBase = cases.Any(c => MergeMethods.NeedsBase(c.Method));
        if (wholeProcess)
        {
            ReportStartUp();
        }

        var inputs = Enumerable.Range(0, modelCounts.Max() + (needsBase ? 1 : 0)).Select(k => Generate(layout, k)).ToList();
        var baseModel = needsBase ? inputs[^1] : null;
        var plainFile = Path.Combine(folder, "plain.bin");
        output.WriteLine(F($"bench merge: {dtype} models of {bytes / 1e9:F2} GB ({count} tensors of {largest / 1e6:F0} MB) in {folder}, best of {rounds} rounds"));
        output.WriteLine("plain copy: model A copied to the output and the other models read, 64 MB blocks, fsync at the end, through the page cache");
        output.WriteLine("or direct (the faster); in-process: positioned reads and writes; whole process: dd. GB/s = (inputs + 1) x model / s.");
        output.WriteLine("Methods with a base read it too: their plain copy reads it as well, and their memory bound counts it as an input.");
        output.WriteLine(F($"{"K",-2} {"case",-26} {"in-process GB/s",15} {"ratio",6} {"process GB/s",13} {"ratio",6}  {"target (process)",-18} peak above baseline / (inputs+1) x largest + 300 MB"));
        foreach (var k in modelCounts)
        {
            var models = inputs.Take(k).ToList();
            // Two yardsticks: the K models, and the K models with the base.
            List<string>[] sets = baseModel is null ? [models] : [models, [.. models, baseModel]];
            var plain = sets.Select(_ => (InProcess: 0.0, Process: 0.0)).ToArray();
            var merges = cases.Select(_ => (InProcess: 0.0, Process: 0.0, Peak: 0L)).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                // The copy and the merges alternate, so both see the same page cache and the same neighbours' load.
                for (var set = 0; set < sets.Length; set++)
                {
                    var moved = (sets[set].Count + 1) * bytes;
                    foreach (var direct in new[] { false, true })
                    {
                        var inProcess = Math.Max(plain[set].InProcess, Rate(moved, Time(() => PlainCopy.InProcess(sets[set], plainFile, direct))));
                        File.Delete(plainFile);
                        var process = plain[set].Process;
                        if (wholeProcess)
                        {
                            process = Math.Max(process, PlainCopy.AsProcesses(sets[set], plainFile, direct) is { } s ? Rate(moved, s) : 0);
                            File.Delete(plainFile);
                        }

                        plain[set] = (inProcess, process);
                    }
                }

                for (var c = 0; c < cases.Length; c++)
                {
                    var (method, hash, _) = cases[c];
                    var withBase = MergeMethods.NeedsBase(method);
                    var moved = (k + (withBase ? 2 : 1)) * bytes;
                    var config = new MergeConfig
                    {
                        Models = models, Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = method, Base = withBase ? baseModel : null },
                        HashInputs = hash, Output = Path.Combine(folder, "merged.safetensors"),
                    };
                    GC.Collect();
                    var resident = ProcessMemory.Resident;
                    var reset = ProcessMemory.ResetPeak();
                    var rate = Rate(moved, Time(() => MergeRun.Run(config)));
                    var peak = reset ? ProcessMemory.Peak - resident : -1;
                    DeleteMerged();
                    var process = wholeProcess ? Rate(moved, MergeAsProcess(config)) : 0;
                    DeleteMerged();
                    merges[c] = (Math.Max(merges[c].InProcess, rate), Math.Max(merges[c].Process, process), Math.Max(merges[c].Peak, peak));
                }
            }

            for (var set = 0; set < sets.Length; set++)
            {
                var name = set == 0 ? "plain copy" : "plain copy (with base)";
                output.WriteLine(F($"{k,-2} {name,-26} {plain[set].InProcess,15:F2} {"",6} {Figure(plain[set].Process),13} {"",6}"));
            }

            for (var c = 0; c < cases.Length; c++)
            {
                var (method, hash, target) = cases[c];
                var (rate, process, peak) = merges[c];
                var yardstick = plain[MergeMethods.NeedsBase(method) ? 1 : 0];
                var budget = ((k + (MergeMethods.NeedsBase(method) ? 2 : 1)) * largest) + (300L << 20);
                var verdict = yardstick.Process > 0 && process > 0 ? (process / yardstick.Process >= target ? "met" : "NOT met") : "not measured";
                var memory = peak >= 0 ? F($"{peak / 1e6:F0} MB / {budget / 1e6:F0} MB {(peak <= budget ? "met" : "NOT met")}") : "not measurable here";
                output.WriteLine(F($"{k,-2} {method + (hash ? " (hash inputs)" : ""),-26} {rate,15:F2} {rate / yardstick.InProcess,6:P0} {Figure(process),13} {Ratio(process, yardstick.Process),6}  {F($">= {target:P0} {verdict}"),-18} {memory}"));
            }
        }

        foreach (var file in Directory.GetFiles(folder))
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The fixed cost of a whole <c>cki-compute merge</c> process: two 64-element models merged, best of the rounds
    /// (the first run also warms the page cache of the runtime and libtorch).
    /// </summary>
    private void ReportStartUp()
    {
        var tiny = new List<TensorSpec> { new("w", dtype, [8, 8]) };
        var models = new List<string> { Generate(tiny, 0, "tiny"), Generate(tiny, 1, "tiny") };
        var config = new MergeConfig { Models = models, Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "average" }, Output = Path.Combine(folder, "merged.safetensors") };
        var best = double.MaxValue;
        for (var round = 0; round <= rounds; round++)
        {
            best = Math.Min(best, MergeAsProcess(config));
            DeleteMerged();
        }

        models.ForEach(File.Delete);
        output.WriteLine(F($"start-up: a whole cki-compute merge of two 64-element models takes {best:F2} s (best of {rounds + 1})"));
    }

    /// <summary>Runs <c>cki-compute merge</c> on <paramref name="config"/> as a child process (this same executable); its wall seconds.</summary>
    private double MergeAsProcess(MergeConfig config)
    {
        var yaml = Path.Combine(folder, "merge.yaml");
        File.WriteAllLines(yaml,
        [
            "models:", .. config.Models.Select(m => $"  - {Yaml(m)}"), $"method: {config.Merge.Method}",
            .. config.Merge.Base is { } baseModel ? [$"base: {Yaml(baseModel)}"] : Array.Empty<string>(),
            $"hash_inputs: {(config.HashInputs ? "true" : "false")}", $"output: {Yaml(config.Output)}",
        ]);
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        // Under 'dotnet cki-compute.dll' the host is dotnet and the application is the entry assembly.
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [typeof(MergeBenchmark).Assembly.Location, "merge", "--config", yaml]
            : ["merge", "--config", yaml];
        return ChildProcess.Time(self, arguments);
    }

    private static string Yaml(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    private void DeleteMerged()
    {
        foreach (var merged in Directory.GetFiles(folder, "merged*"))
        {
            File.Delete(merged);
        }
    }

    private string Generate(List<TensorSpec> layout, int model, string prefix = "model")
    {
        var path = Path.Combine(folder, $"{prefix}-{model}.safetensors");
        using var generator = new Generator((ulong)(model + 1));
        using var source = randn([layout[0].Shape[0], layout[0].Shape[1]], generator: generator);
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout);
        for (var i = 0; i < layout.Count; i++)
        {
            using var value = source.mul(1 + (0.001 * i)).to_type(layout[i].Dtype.ToScalarType());
            writer.Write(layout[i].Name, value);
        }

        writer.Commit();
        return path;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Rate(long bytes, double seconds) => bytes / seconds / 1e9;

    private static string Figure(double rate) => rate > 0 ? F($"{rate:F2}") : "-";

    private static string Ratio(double rate, double plain) => rate > 0 && plain > 0 ? F($"{rate / plain:P0}") : "-";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
