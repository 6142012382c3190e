using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Checkpoints;
using Cki.Compute.Diagnostics;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Cki.Compute.Benchmarks;

/// <summary>
/// Checkpoint read and write throughput next to plain file I/O of the same bytes in the same run, and peak
/// resident memory while reading tensor by tensor. Each figure is the best of <c>rounds</c>, alternating ours and
/// the plain baseline so both see the same page-cache state.
/// </summary>
internal sealed class IoBenchmark(string folder, long totalBytes, long tensorBytes, int rounds, TextWriter output)
{
    private const int PlainBufferBytes = 64 << 20;

    public void Run()
    {
        Directory.CreateDirectory(folder);
        var columns = (int)Math.Min(1024, tensorBytes / 4);
        var rows = tensorBytes / 4 / columns;
        var count = (int)Math.Max(1, (totalBytes + (rows * columns * 4) - 1) / (rows * columns * 4));
        var layout = Enumerable.Range(0, count).Select(i => new TensorSpec($"layers.{i}.weight", TensorDtype.F32, [rows, columns])).ToList();
        var bytes = layout.Sum(s => s.ByteCount);
        var largest = layout.Max(s => s.ByteCount);
        var file = Path.Combine(folder, "bench.safetensors");
        var plain = Path.Combine(folder, "plain.bin");
        using var source = randn(rows, columns);

        output.WriteLine(F($"bench io: {count} tensors of {largest / 1e6:F1} MB, {bytes / 1e9:F2} GB in {folder}, best of {rounds}"));
        double write = 0, plainWrite = 0, read = 0, readReused = 0, plainRead = 0;
        long peak = 0, resident = 0;
        // An untimed warm-up: on a fresh VM the first touch of page-cache memory is several times slower.
        WritePlain(plain, source, count);
        ReadPlain(plain);
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which write goes first: fsync-bound writes vary with what the disk did just before.
            if (round % 2 == 0)
            {
                plainWrite = Math.Max(plainWrite, Measure(bytes, () => WritePlain(plain, source, count)));
                write = Math.Max(write, Measure(bytes, () => WriteCheckpoint(file, layout, source)));
            }
            else
            {
                write = Math.Max(write, Measure(bytes, () => WriteCheckpoint(file, layout, source)));
                plainWrite = Math.Max(plainWrite, Measure(bytes, () => WritePlain(plain, source, count)));
            }

            plainRead = Math.Max(plainRead, Measure(bytes, () => ReadPlain(plain)));
            GC.Collect();
            resident = ProcessMemory.Resident;
            var reset = ProcessMemory.ResetPeak();
            read = Math.Max(read, Measure(bytes, () => ReadCheckpoint(file, layout)));
            peak = reset ? ProcessMemory.Peak : -1;
            readReused = Math.Max(readReused, Measure(bytes, () => ReadCheckpointReusing(file, layout)));
        }

        output.WriteLine(F($"write      {write:F2} GB/s   plain write {plainWrite:F2} GB/s   ratio {write / plainWrite:P0}   (target >= 80%)"));
        output.WriteLine(F($"read       {read:F2} GB/s   plain read  {plainRead:F2} GB/s   ratio {read / plainRead:P0}   (target >= 80%; a new tensor per read)"));
        output.WriteLine(F($"read into  {readReused:F2} GB/s   plain read  {plainRead:F2} GB/s   ratio {readReused / plainRead:P0}   (one reused buffer, as a pipeline does)"));
        if (peak > 0)
        {
            var budget = (2 * largest) + (200L << 20);
            output.WriteLine(F($"peak RSS while reading {peak / 1e6:F0} MB (resident before {resident / 1e6:F0} MB, +{(peak - resident) / 1e6:F0} MB); largest tensor {largest / 1e6:F0} MB; file {new FileInfo(file).Length / 1e9:F2} GB"));
            output.WriteLine(F($"peak budget 2 x largest + 200 MB = {budget / 1e6:F0} MB: {(peak <= budget ? "met" : "NOT met")} (peak), {(peak - resident <= budget ? "met" : "NOT met")} (above resident)"));
        }
        else
        {
            output.WriteLine("peak RSS: /proc/self/clear_refs is not writable here, peak not measured");
        }

        File.Delete(file);
        File.Delete(plain);
    }

    private static double Measure(long bytes, Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return bytes / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static void WriteCheckpoint(string file, IReadOnlyList<TensorSpec> layout, Tensor source)
    {
        // Both writes start from no file, so neither gets page-cache memory the other has just freed.
        File.Delete(file);
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(file), layout);
        foreach (var spec in layout)
        {
            writer.Write(spec.Name, source);
        }

        writer.Commit();
    }

    private static void ReadCheckpoint(string file, IReadOnlyList<TensorSpec> layout)
    {
        using var checkpoint = Checkpoint.Open(file, CheckpointLocations.Default);
        foreach (var spec in layout)
        {
            using var tensor = checkpoint.ReadTensor(spec.Name);
        }
    }

    private static void ReadCheckpointReusing(string file, List<TensorSpec> layout)
    {
        using var checkpoint = Checkpoint.Open(file, CheckpointLocations.Default);
        using var buffer = empty(layout[0].Shape.ToArray(), ScalarType.Float32);
        foreach (var spec in layout)
        {
            checkpoint.ReadTensor(spec.Name, buffer);
        }
    }

    /// <summary>The baseline write: the same bytes from the same memory, sequential positioned writes, then fsync.</summary>
    private static void WritePlain(string file, Tensor source, int count)
    {
        File.Delete(file);
        using var handle = File.OpenHandle(file, FileMode.Create, FileAccess.Write);
        var span = source.bytes;
        long position = 0;
        for (var i = 0; i < count; i++)
        {
            RandomAccess.Write(handle, span, position);
            position += span.Length;
        }

        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>The baseline read: the whole file, sequentially, into one reused buffer.</summary>
    private static void ReadPlain(string file)
    {
        using SafeFileHandle handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
        var buffer = GC.AllocateUninitializedArray<byte>(PlainBufferBytes);
        long position = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, position)) > 0)
        {
            position += read;
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
