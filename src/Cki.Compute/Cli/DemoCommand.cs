using System.CommandLine;
using System.Globalization;
using Cki.Compute.Checkpoints;
using Cki.Compute.Demo;

namespace Cki.Compute.Cli;

/// <summary>
/// <c>cki-compute demo</c>: the quickest look at the whole thing on this machine: checkpoint I/O on a generated
/// family, then CKI and its baselines end to end on a small task of our own, reported on held-out test data.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the demo's checkpoints and integrated models.",
            DefaultValueFactory = _ => Path.Combine("out", "demo"),
        };
        var device = DeviceOption.Create();
        var command = new Command("demo", "Write and inspect demo checkpoints (one file, one sharded), then train two models of a small " +
            "synthetic task on two halves of its data, integrate them with CKI and every baseline, and print validation and test AUC.")
        {
            output,
            device,
            DemoFamilyCommand.Create(),
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            var chosen = DeviceOption.Resolve(parse, device);
            DeviceOption.Announce("demo", chosen);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var provenance = new Dictionary<string, string> { ["producer"] = "cki-compute demo", ["note"] = "generated weights, not a trained model" };
            DemoFamily.Write(Path.Combine(folder, "generated", "a"), seed: 0, metadata: provenance);
            var sharded = DemoFamily.Write(Path.Combine(folder, "generated", "b"), seed: 1, maxShardBytes: 64 << 10, metadata: provenance);
            using (var checkpoint = Checkpoint.Open(sharded, CheckpointLocations.Default, cancellationToken: cancellationToken))
            {
                Console.WriteLine("1. Checkpoint I/O: a generated model written in 3 shards with an index, read back tensor by tensor");
                InspectCommand.WriteTable(Console.Out, checkpoint, InspectCommand.Profile(checkpoint, cancellationToken));
            }

            Console.WriteLine();
            Console.WriteLine("2. Integration: two models of the synthetic task (different seeds, each trained on one half of the training split).");
            Console.WriteLine("   CKI splices the head's weight matrices and keeps the rest of model A; 'all tensors' rows merge every tensor.");
            var rows = SyntheticExperiment.Run(Path.Combine(folder, "synthetic"), line => Console.Error.WriteLine($"demo: {line}"), chosen, cancellationToken);
            Print(Console.Out, rows);
            Console.WriteLine();
            Console.WriteLine($"Outputs are under {folder} (integrated models with their compatibility maps and summaries in synthetic/integrated/).");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Print(TextWriter output, IReadOnlyList<ExperimentRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var width = rows.Max(r => r.Name.Length);
        output.WriteLine($"{"model".PadRight(width)}  validation AUC  test AUC  inference cost");
        foreach (var row in rows)
        {
            output.WriteLine(string.Create(c, $"{row.Name.PadRight(width)}  {row.Validation,14:F4}  {row.Test,8:F4}  {row.InferenceCost}x"));
        }

        var best = rows.Where(r => r.InferenceCost == 1).MaxBy(r => r.Validation)!;
        output.WriteLine(string.Create(c, $"Best single-cost model by VALIDATION: {best.Name} (test AUC {best.Test:F4}). Test numbers are reported, never used to choose."));
    }
}
