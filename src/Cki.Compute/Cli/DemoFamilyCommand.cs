using System.CommandLine;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Demo;
using Cki.Compute.Tasks.Synthetic;

namespace Cki.Compute.Cli;

/// <summary>
/// <c>cki-compute demo family</c>: a family of checkpoints to drop into <c>checkpoints/{family}/</c>: models of the
/// synthetic task, each trained on its own slice of the training split, or generated (untrained) ones.
/// </summary>
internal static class DemoFamilyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder that gets one subfolder per source (a, b, c, ...) with model.safetensors.", Required = true };
        var models = new Option<int>("--models") { Description = "How many models (2-26).", DefaultValueFactory = _ => 2 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of each synthetic-task model.", DefaultValueFactory = _ => 6 };
        var generated = new Option<bool>("--generated") { Description = "Random weights of the demo architecture instead of trained synthetic-task models." };
        var seedPerModel = new Option<bool>("--seed-per-model")
        {
            Description = "Initialise each model from its own seed. By default all start from one initialisation, like models fine-tuned from one base.",
        };
        var blocks = new Option<int>("--blocks") { Description = "With --generated: extra trunk blocks (weight and bias, 256 wide), for models with more tensors.", DefaultValueFactory = _ => 0 };
        var task = new Option<string>("--task") { Description = "synthetic, or movielens (DIN models, one per time window of the training period).", DefaultValueFactory = _ => "synthetic" };
        task.AcceptOnlyFromAmong("synthetic", "movielens");
        var cache = new Option<string>("--cache") { Description = "MovieLens cache folder (fetched when empty).", DefaultValueFactory = _ => Path.Combine(".cache", "movielens") };
        var command = new Command("family", "Write a family of checkpoints of one architecture for a workflow demo.")
        {
            output, models, epochs, generated, seedPerModel, blocks, task, cache,
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            var count = parse.GetValue(models);
            if (count is < 2 or > 26)
            {
                throw new ArgumentException($"--models: {count}; expected 2 to 26.");
            }

            var folder = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(task) == "movielens")
            {
                var data = MovieLensFetcher.Fetch(parse.GetValue(cache)!, force: false, line => Console.Error.WriteLine($"data: {line}"));
                foreach (var file in MovieLensFamily.Write(folder, data, count, parse.GetValue(epochs), line => Console.Error.WriteLine($"demo family: {line}")))
                {
                    Console.WriteLine(file);
                }

                return Task.FromResult(0);
            }

            using var synthetic = parse.GetValue(generated) ? null : new SyntheticTask();
            for (var k = 0; k < count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var source = Path.Combine(folder, ((char)('a' + k)).ToString());
                if (synthetic is null)
                {
                    DemoFamily.Write(source, seed: k, DemoFamily.DeepLayout(parse.GetValue(blocks), 256));
                }
                else
                {
                    Console.Error.WriteLine($"demo family: training model {(char)('a' + k)} on slice {k + 1} of {count} of the training split");
                    var model = synthetic.Train(seed: parse.GetValue(seedPerModel) ? k : 0, epochs: parse.GetValue(epochs), slices: count, slice: k);
                    SyntheticExperiment.Write(source, model);
                    foreach (var t in model.Values)
                    {
                        t.Dispose();
                    }
                }

                Console.WriteLine(Path.Combine(source, "model.safetensors"));
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
