using System.CommandLine;
using Cki.Compute.Checkpoints;
using Cki.Compute.Demo;
using Cki.Compute.Config;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute demo</c>: writes a family of demo checkpoints and inspects them.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the demo family.",
            DefaultValueFactory = _ => Path.Combine("out", "demo"),
        };
        var command = new Command("demo", "Write two generated checkpoints of one architecture (model A as one file, " +
            "model B sharded with an index), inspect both, and integrate them with data-free CKI (global-only).")
        {
            output,
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var provenance = new Dictionary<string, string> { ["producer"] = "cki-compute demo", ["note"] = "generated weights, not a trained model" };
            var a = DemoFamily.Write(Path.Combine(folder, "a"), seed: 0, metadata: provenance);
            var b = DemoFamily.Write(Path.Combine(folder, "b"), seed: 1, maxShardBytes: 64 << 10, metadata: provenance);
            foreach (var location in new[] { a, b })
            {
                using var checkpoint = Checkpoint.Open(location, cancellationToken: cancellationToken);
                InspectCommand.WriteTable(Console.Out, checkpoint, InspectCommand.Profile(checkpoint, cancellationToken));
                Console.WriteLine();
            }

            var config = new MergeConfig
            {
                Models = [a, b],
                Method = "global-only",
                Output = Path.Combine(folder, "merged", "model.safetensors"),
            };
            Console.WriteLine("Data-free CKI (global-only) of A and B:");
            MergeCommand.Print(Console.Out, MergeCommand.Run(config, cancellationToken));
            Console.WriteLine();
            Console.WriteLine($"Demo family written to {folder}. Inspect it yourself with: cki-compute inspect {b} --json");
            return Task.FromResult(0);
        });
        return command;
    }
}
