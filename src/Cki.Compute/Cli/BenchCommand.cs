using System.CommandLine;
using Cki.Compute.Benchmarks;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute bench</c>: benchmarks that print figures.</summary>
internal static class BenchCommand
{
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
        return new Command("bench", "Benchmarks that print throughput and memory figures.") { io };
    }
}
