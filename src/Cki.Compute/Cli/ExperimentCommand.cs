using System.CommandLine;
using System.Globalization;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments;
using Cki.Compute.Experiments.OneParent;
using Cki.Compute.Tasks.Din;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute experiment movielens</c>: the paper's experiment on real data.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var seeds = new Option<int?>("--seeds") { Description = "Seed pairs (default 5, or 1 with --quick)." };
        var quick = new Option<bool>("--quick") { Description = "A small configuration (CI, demos): one seed pair, the same-data setting, 1 input epoch, 1 integration epoch." };
        var split = new Option<string?>("--split") { Description = "per-user (default: each user's last samples are test, the ones before validation) or cold-start (one global time cut)." };
        var features = new Option<string?>("--features") { Description = "user-item-genre (default: chosen on validation) or item-genre (the authors' DIN, no user embedding)." };
        var settings = new Option<string[]>("--settings") { Description = "same-data, shift and/or shared-trunk (default same-data and shift; same-data with --quick; shared-trunk is opt-in); or one-parent alone (children fine-tuned from one parent, see --splits).", AllowMultipleArgumentsPerToken = true };
        var splits = new Option<string[]>("--splits") { Description = "one-parent only: how the children divide the training samples: time-halves, users-2, users-4, users-K (default time-halves users-2 users-4; users-2 with --quick).", AllowMultipleArgumentsPerToken = true };
        var parentEpochs = new Option<int?>("--parent-epochs") { Description = "one-parent only: epochs of the parent, kept epoch chosen on validation (default 3, 1 with --quick)." };
        var childEpochs = new Option<int?>("--child-epochs") { Description = "one-parent only: epochs each child is fine-tuned from the parent (default 1)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "one-parent only: batch size of the models' own training (default 1024; the assessment keeps 1024)." };
        var history = new Option<int?>("--history") { Description = "one-parent only: most recent positively rated movies in a sample's history (default 20)." };
        var pytorchInit = new Option<bool>("--pytorch-init") { Description = "one-parent only: start the parent from PyTorch's module defaults instead of the project's initialisation (a probe of the base model)." };
        var parentOnly = new Option<bool>("--parent-only") { Description = "one-parent only: train and report the parents alone (a probe of the base model)." };
        var inputEpochs = new Option<int?>("--input-epochs") { Description = "Epochs of the input models (default 6)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of every integration and control (default 4)." };
        var rates = new Option<double[]>("--learning-rates") { Description = "Learning rates of the honest CKI sweep (default 0.001 0.01).", AllowMultipleArgumentsPerToken = true };
        var linear = new Option<bool>("--linear") { Description = "Also run CKI's linear form (F1), soft and hard, in the honest protocol (same-data, shift)." };
        var noPaper = new Option<bool>("--no-paper") { Description = "Run the honest protocol only (no paper protocol)." };
        var inputsOnly = new Option<bool>("--inputs-only") { Description = "Train and evaluate the input models only (to choose the model on validation)." };
        var cache = new Option<string>("--cache") { Description = "MovieLens cache folder.", DefaultValueFactory = _ => Path.Combine(".cache", "movielens") };
        var output = new Option<string>("--out") { Description = "Folder for results.md, results.json and the plots.", DefaultValueFactory = _ => Path.Combine("out", "experiment-movielens") };
        var device = DeviceOption.Create();
        var movielens = new Command("movielens", "Train DIN input models on MovieLens, integrate them with CKI, the baselines and compute-matched controls under the honest and the paper protocol, and report test metrics (AUC, UAUC, logloss, NDCG, HR) with paired differences over seeds.")
        {
            seeds, quick, split, features, settings, splits, parentEpochs, childEpochs, batchSize, history, pytorchInit, parentOnly, inputEpochs, epochs, rates, linear, noPaper, inputsOnly, cache, output, device,
        };
        int RunOneParent(ParseResult parse, TorchSharp.torch.Device chosen)
        {
            var options = parse.GetValue(quick) ? OneParentOptions.Quick : new OneParentOptions();
            options = options with
            {
                Seeds = Math.Max(1, parse.GetValue(seeds) ?? options.Seeds),
                ParentEpochs = Math.Max(1, parse.GetValue(parentEpochs) ?? options.ParentEpochs),
                ChildEpochs = Math.Max(1, parse.GetValue(childEpochs) ?? options.ChildEpochs),
                BatchSize = Math.Max(1, parse.GetValue(batchSize) ?? options.BatchSize),
                HistoryLength = Math.Max(1, parse.GetValue(history) ?? options.HistoryLength),
                ParentOnly = parse.GetValue(parentOnly),
                PyTorchInit = parse.GetValue(pytorchInit),
                AssessmentEpochs = Math.Max(1, parse.GetValue(epochs) ?? options.AssessmentEpochs),
                Split = parse.GetValue(split) switch
                {
                    null => options.Split,
                    "per-user" => CtrSplit.PerUser,
                    "cold-start" => CtrSplit.ColdStart,
                    var other => throw new ArgumentException($"--split: '{other}' is not per-user or cold-start."),
                },
                Device = chosen,
            };
            if (parse.GetValue(splits) is { Length: > 0 } named)
            {
                options = options with { Splits = named.Select(ChildSplitSpec.Parse).ToList() };
            }

            if (parse.GetValue(rates) is { Length: > 0 } lr)
            {
                options = options with { LearningRates = lr };
            }

            var data = MovieLensFetcher.Fetch(Path.GetFullPath(parse.GetValue(cache)!), force: false, line => Console.Error.WriteLine($"data: {line}"));
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var (runs, figures) = OneParentExperiment.Run(data, options, line => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"experiment {DateTime.UtcNow:HH:mm:ss}: {line}")),
                (soFar, figuresSoFar) => OneParentReport.Write(folder, soFar, figuresSoFar, options with { Seeds = soFar.Select(r => r.Seed).Distinct().Count() }));
            Console.Write(OneParentReport.Write(folder, runs, figures, options));
            Console.WriteLine($"Written to {folder}/results.md and results.json");
            return 0;
        }

        movielens.SetGuardedAction((parse, _) =>
        {
            var chosen = DeviceOption.Resolve(parse, device);
            DeviceOption.Announce("experiment", chosen);
            if (parse.GetValue(settings) is { Length: > 0 } asked && asked.Contains("one-parent"))
            {
                if (asked.Length > 1)
                {
                    throw new ArgumentException("--settings: one-parent runs on its own (its rows differ from the other settings'); run the others separately.");
                }

                return Task.FromResult(RunOneParent(parse, chosen));
            }

            var options = parse.GetValue(quick) ? ExperimentOptions.Quick : new ExperimentOptions();
            options = options with
            {
                Seeds = Math.Max(1, parse.GetValue(seeds) ?? options.Seeds),
                InputEpochs = Math.Max(1, parse.GetValue(inputEpochs) ?? options.InputEpochs),
                AssessmentEpochs = Math.Max(1, parse.GetValue(epochs) ?? options.AssessmentEpochs),
                Split = parse.GetValue(split) switch
                {
                    null => options.Split,
                    "per-user" => CtrSplit.PerUser,
                    "cold-start" => CtrSplit.ColdStart,
                    var other => throw new ArgumentException($"--split: '{other}' is not per-user or cold-start."),
                },
                Features = parse.GetValue(features) switch
                {
                    null => options.Features,
                    "item-genre" => DinFeatures.ItemGenre,
                    "user-item-genre" => DinFeatures.UserItemGenre,
                    var other => throw new ArgumentException($"--features: '{other}' is not item-genre or user-item-genre."),
                },
                PaperProtocol = !parse.GetValue(noPaper),
                LinearForm = parse.GetValue(linear),
                InputsOnly = parse.GetValue(inputsOnly),
                Device = chosen,
            };
            if (parse.GetValue(settings) is { Length: > 0 } named)
            {
                options = options with
                {
                    Settings = named.Select(s => s switch
                    {
                        "same-data" => MovieLensExperiment.SameData,
                        "shift" => MovieLensExperiment.Shift,
                        "shared-trunk" => MovieLensExperiment.SharedTrunk,
                        _ => throw new ArgumentException($"--settings: '{s}' is not same-data, shift or shared-trunk."),
                    }).ToList(),
                };
            }

            if (parse.GetValue(rates) is { Length: > 0 } lr)
            {
                options = options with { LearningRates = lr };
            }

            var data = MovieLensFetcher.Fetch(Path.GetFullPath(parse.GetValue(cache)!), force: false, line => Console.Error.WriteLine($"data: {line}"));
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            // The report is rewritten after every seed pair, so a long run that is stopped still leaves its finished pairs.
            var (runs, figures) = MovieLensExperiment.Run(data, options, line => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"experiment {DateTime.UtcNow:HH:mm:ss}: {line}")),
                (soFar, figuresSoFar) => ExperimentReport.Write(folder, soFar, figuresSoFar, options with { Seeds = soFar.Select(r => r.Seed).Distinct().Count() }));
            Console.Write(ExperimentReport.Write(folder, runs, figures, options));
            Console.WriteLine($"Written to {folder}/results.md and results.json");
            return Task.FromResult(0);
        });
        return new Command("experiment", "Experiments on real data.") { movielens, SentimentExperimentCommand.Create(), SentimentExperimentCommand.Encoders() };
    }
}
