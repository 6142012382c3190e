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
/// Merge throughput of <c>average</c> and <c>global-only</c> for K generated checkpoints, next to a plain copy of
/// the same bytes (read every input file, write one output file of a model's size, fsync) in the same run, and
/// peak resident memory during each merge. Throughput counts bytes read plus bytes written per second.
/// </summary>
internal sealed class MergeBenchmark(string folder, long modelBytes, long tensorBytes, IReadOnlyList<int> modelCounts, TextWriter output)
{
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
        output.WriteLine(F($"bench merge: models of {bytes / 1e9:F2} GB ({count} tensors of {largest / 1e6:F0} MB) in {folder}"));
        output.WriteLine("K  method (-hash: hash_inputs off)   GB/s   plain copy GB/s  ratio  peak above resident  budget (K+1) x largest + 300 MB");
        foreach (var k in modelCounts)
        {
            var moved = (k + 1) * bytes;
            // Best of two: the first write into page-cache memory never touched before is several times slower on a
            // fresh VM, and the baseline should not be handicapped by it. The copy is deleted so the merges reuse its pages.
            var plain = 0.0;
            for (var round = 0; round < 2; round++)
            {
                plain = Math.Max(plain, Measure(moved, () => PlainCopy(inputs.Take(k).ToList(), Path.Combine(folder, "plain.bin"))));
                File.Delete(Path.Combine(folder, "plain.bin"));
            }

            foreach (var (method, hash) in new[] { ("average", true), ("global-only", true), ("average", false), ("global-only", false) })
            {
                var target = method == "average" ? 0.80 : 0.60;
                var label = hash ? method : method + " -hash";
                GC.Collect();
                var resident = ProcessMemory.Resident;
                var reset = ProcessMemory.ResetPeak();
                var config = new MergeConfig { Models = inputs.Take(k).ToList(), Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = method }, HashInputs = hash, Output = Path.Combine(folder, "merged.safetensors") };
                var rate = Measure(moved, () => MergeRun.Run(config));
                foreach (var merged in Directory.GetFiles(folder, "merged*"))
                {
                    File.Delete(merged);
                }

                var above = reset ? ProcessMemory.Peak - resident : -1;
                var budget = ((k + 1) * largest) + (300L << 20);
                output.WriteLine(F($"{k,-2} {label,-18} {rate,6:F2}   {plain,14:F2}  {rate / plain,5:P0}  {above / 1e6,12:F0} MB       {budget / 1e6:F0} MB {(above <= budget ? "met" : "NOT met")}; throughput target {target:P0} {(rate / plain >= target ? "met" : "NOT met")}"));
            }
        }

        foreach (var file in Directory.GetFiles(folder))
        {
            File.Delete(file);
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

    private static void PlainCopy(List<string> inputs, string output)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(64 << 20);
        File.Delete(output);
        using var target = File.OpenHandle(output, FileMode.CreateNew, FileAccess.Write);
        long written = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            using var source = File.OpenHandle(inputs[i], FileMode.Open, FileAccess.Read);
            long position = 0;
            int read;
            while ((read = RandomAccess.Read(source, buffer, position)) > 0)
            {
                position += read;
                if (i == 0)
                {
                    RandomAccess.Write(target, buffer.AsSpan(0, read), written);
                    written += read;
                }
            }
        }

        RandomAccess.FlushToDisk(target);
    }

    private static double Measure(long bytes, Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return bytes / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
