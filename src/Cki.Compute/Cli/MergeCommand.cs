using System.CommandLine;
using System.Globalization;
using Cki.Compute.Config;
using Cki.Compute.Merging;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute merge --config merge.yaml</c>: integrates checkpoints as the config says.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The merge config (YAML): models, method, splice, form, tensors, output ...", Required = true };
        var output = new Option<string?>("--out") { Description = "Overrides the config's output: a .safetensors file or a folder." };
        var device = DeviceOption.Create();
        var command = new Command("merge", "Integrate models of one architecture into one. Writes the model, its compatibility map and a summary." +
            Environment.NewLine + MergeMethodHelp.Text())
        {
            config,
            output,
            device,
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            var chosen = DeviceOption.Resolve(parse, device);
            var loaded = MergeConfigLoader.Load(parse.GetValue(config)!) with
            {
                Locations = ComputeEnvironment.Locations, TaskData = ComputeEnvironment.MovieLensCache, Device = chosen,
            };
            if (parse.GetValue(output) is { } overridden)
            {
                loaded = loaded with { Output = Path.GetFullPath(overridden) };
            }

            if (MergeMethods.NeedsData(loaded.Method))
            {
                DeviceOption.Announce("merge", chosen); // a data-free merge streams on the CPU whatever --device says
            }

            var result = Run(loaded, cancellationToken);
            var companions = CompanionFiles.Copy(loaded.Models[0], MergeOutputLocation.From(loaded.Output), loaded.Locations,
                line => Console.Error.WriteLine($"merge: {line}"), cancellationToken);
            Print(Console.Out, result);
            foreach (var copied in companions)
            {
                Console.Out.WriteLine($"copied:  {copied}");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Runs a merge with progress on stderr.</summary>
    public static MergeRunResult Run(MergeConfig config, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"merge: {config.Method} of {config.Models.Count} models -> {config.Output}");
        ProgressReporter? progress = null;
        return MergeRun.Run(config, line => Console.Error.WriteLine($"assess: {line}"), (done, bytes, name) =>
        {
            progress ??= new ProgressReporter("merge", int.MaxValue, long.MaxValue, threshold: 0);
            if (done % 50 == 0)
            {
                progress.Report(done, bytes, name);
            }
        }, cancellationToken: cancellationToken);
    }

    /// <summary>Prints where the outputs are and, per merged tensor, the share of elements from each model.</summary>
    public static void Print(TextWriter output, MergeRunResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var merge = result.Merge;
        if (result.Assessment is { } a)
        {
            output.WriteLine(string.Create(c,
                $"assessment on task '{a.Task}': lr {a.LearningRate:G3}, best epoch {a.BestEpoch}, validation {a.Metric} {a.BestValidation:F4}"));
        }

        if (merge.Summary.Tensors.Count > 0)
        {
            var k = merge.Summary.Models.Count;
            var width = Math.Max(6, merge.Summary.Tensors.Max(t => t.Tensor.Length));
            output.WriteLine($"{"tensor".PadRight(width)}  " + string.Join("  ", Enumerable.Range(0, k).Select(i => $"{ModelLabel(i)} share  mean w".PadLeft(16))));
            foreach (var t in merge.Summary.Tensors)
            {
                output.WriteLine(t.Tensor.PadRight(width) + "  " + string.Join("  ", Enumerable.Range(0, k).Select(i =>
                    string.Create(c, $"{t.Share[i],8:P1}  {t.MeanWeight[i],6:F4}"))));
            }
        }

        output.WriteLine($"model:   {merge.ModelLocation}");
        if (merge.MapLocation is not null)
        {
            output.WriteLine($"map:     {merge.MapLocation}");
        }

        output.WriteLine($"summary: {merge.SummaryLocation}");
    }

    private static string ModelLabel(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"M{index}";
}
