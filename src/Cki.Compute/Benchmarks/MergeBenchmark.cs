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
/// Merge throughput of <c>average</c> and <c>global-only</c> for K generated checkpoints, with and without input
/// hashing, against a plain copy of the same bytes (<see cref="PlainCopy"/>) in the same run: both in this process
/// and as whole processes (<c>cki-compute merge</c> against <c>dd</c>, start-up included), with the ratios, the
/// targets and the peak resident memory of each in-process merge above the baseline before it. Throughput counts
/// bytes read plus bytes written per second; each figure is the best of <c>rounds</c>.
/// </summary>
internal sealed class MergeBenchmark(string folder, long modelBytes, long tensorBytes, IReadOnlyList<int> modelCounts, int rounds, bool wholeProcess, TextWriter output)
{
    /// <summary>The cases and their targets (ratio of the whole-process merge to the whole-process plain copy).</summary>
    private static readonly (string Method, bool Hash, double Target)[] Cases =
        [("average", false, 0.8), ("global-only", false, 0.7), ("average", true, 0.5), ("global-only", true, 0.5)];

    public void Run()
    {
        Directory.CreateDirectory(folder);
        var columns = (int)Math.Min(1024, tensorBytes / 4);
        var rows = tensorBytes / 4 / columns;
        var count = (int)Math.Max(1, (modelBytes + (rows * columns * 4) - 1) / (rows * columns * 4));
        var layout = Enumerable.Range(0, count).Select(i => new TensorSpec($"layers.{i}.weight", TensorDtype.F32, [rows, columns])).ToList();
        var bytes = layout.Sum(s => s.ByteCount);
        var largest = layout.Max(s => s.ByteCount);
        var inputs = Enumerable.Range(0, modelCounts.Max()).Select(k => Generate(layout, k)).ToList();
        var plainFile = Path.Combine(folder, "plain.bin");
        output.WriteLine(F($"bench merge: models of {bytes / 1e9:F2} GB ({count} tensors of {largest / 1e6:F0} MB) in {folder}, best of {rounds} rounds"));
        output.WriteLine("plain copy: model A copied to the output and the other models read, 64 MB blocks, fsync at the end, through the page cache");
        output.WriteLine("or direct (the faster); in-process: positioned reads and writes; whole process: dd. GB/s = (K + 1) x model / s.");
        output.WriteLine(F($"{"K",-2} {"case",-26} {"in-process GB/s",15} {"ratio",6} {"process GB/s",13} {"ratio",6}  {"target (process)",-18} peak above baseline / (K+1) x largest + 300 MB"));
        foreach (var k in modelCounts)
        {
            var models = inputs.Take(k).ToList();
            var moved = (k + 1) * bytes;
            var budget = ((k + 1) * largest) + (300L << 20);
            double plainIn = 0, plainProcess = 0;
            var merges = Cases.Select(_ => (InProcess: 0.0, Process: 0.0, Peak: 0L)).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                // The copy and the merges alternate, so both see the same page cache and the same neighbours' load.
                foreach (var direct in new[] { false, true })
                {
                    plainIn = Math.Max(plainIn, Rate(moved, Time(() => PlainCopy.InProcess(models, plainFile, direct))));
                    File.Delete(plainFile);
                    if (wholeProcess)
                    {
                        plainProcess = Math.Max(plainProcess, PlainCopy.AsProcesses(models, plainFile, direct) is { } s ? Rate(moved, s) : 0);
                        File.Delete(plainFile);
                    }
                }

                for (var c = 0; c < Cases.Length; c++)
                {
                    var (method, hash, _) = Cases[c];
                    var config = new MergeConfig
                    {
                        Models = models, Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = method }, HashInputs = hash,
                        Output = Path.Combine(folder, "merged.safetensors"),
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

            output.WriteLine(F($"{k,-2} {"plain copy",-26} {plainIn,15:F2} {"",6} {Figure(plainProcess),13} {"",6}"));
            for (var c = 0; c < Cases.Length; c++)
            {
                var (method, hash, target) = Cases[c];
                var (rate, process, peak) = merges[c];
                var verdict = plainProcess > 0 && process > 0 ? (process / plainProcess >= target ? "met" : "NOT met") : "not measured";
                var memory = peak >= 0 ? F($"{peak / 1e6:F0} MB / {budget / 1e6:F0} MB {(peak <= budget ? "met" : "NOT met")}") : "not measurable here";
                output.WriteLine(F($"{k,-2} {method + (hash ? " (hash inputs)" : ""),-26} {rate,15:F2} {rate / plainIn,6:P0} {Figure(process),13} {Ratio(process, plainProcess),6}  {F($">= {target:P0} {verdict}"),-18} {memory}"));
            }
        }

        foreach (var file in Directory.GetFiles(folder))
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs <c>cki-compute merge</c> on <paramref name="config"/> as a child process (this same executable); its wall seconds.</summary>
    private double MergeAsProcess(MergeConfig config)
    {
        var yaml = Path.Combine(folder, "merge.yaml");
        File.WriteAllLines(yaml,
        [
            "models:", .. config.Models.Select(m => $"  - {Yaml(m)}"), $"method: {config.Merge.Method}",
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

    private string Generate(List<TensorSpec> layout, int model)
    {
        var path = Path.Combine(folder, $"model-{model}.safetensors");
        using var generator = new Generator((ulong)(model + 1));
        using var source = randn([layout[0].Shape[0], layout[0].Shape[1]], generator: generator);
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout);
        for (var i = 0; i < layout.Count; i++)
        {
            using var value = source.mul(1 + (0.001 * i));
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
