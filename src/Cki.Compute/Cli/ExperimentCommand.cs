using System.CommandLine;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute experiment movielens</c>: the paper's experiment on real data.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var seeds = new Option<int?>("--seeds") { Description = "Seed pairs (default 3, or 1 with --quick)." };
        var quick = new Option<bool>("--quick") { Description = "A small configuration that runs in about a minute (CI, demos)." };
        var cache = new Option<string>("--cache") { Description = "MovieLens cache folder.", DefaultValueFactory = _ => Path.Combine(".cache", "movielens") };
        var output = new Option<string>("--out") { Description = "Folder for results.md and results.json.", DefaultValueFactory = _ => Path.Combine("out", "experiment-movielens") };
        var device = DeviceOption.Create();
        var movielens = new Command("movielens", "Train DIN input models on MovieLens, integrate them with CKI and the baselines, and report test metrics (AUC, UAUC, logloss, NDCG, HR) over seeds.")
        {
            seeds, quick, cache, output, device,
        };
        movielens.SetGuardedAction((parse, _) =>
        {
            DeviceOption.Apply(parse, device);
            DeviceOption.Announce("experiment");
            var options = parse.GetValue(quick) ? ExperimentOptions.Quick : new ExperimentOptions();
            if (parse.GetValue(seeds) is { } n)
            {
                options = options with { Seeds = Math.Max(1, n) };
            }

            var data = MovieLensFetcher.Fetch(Path.GetFullPath(parse.GetValue(cache)!), force: false, line => Console.Error.WriteLine($"data: {line}"));
            var (runs, figures) = MovieLensExperiment.Run(data, options, line => Console.Error.WriteLine($"experiment: {line}"));
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Console.Write(ExperimentReport.Write(folder, runs, figures, options));
            Console.WriteLine($"Written to {folder}/results.md and results.json");
            return Task.FromResult(0);
        });
        return new Command("experiment", "Experiments on real data.") { movielens };
    }
}
