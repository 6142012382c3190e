using System.Globalization;
using Cki.Compute.Checkpoints;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;

namespace Cki.Compute.Demo;

/// <summary>
/// A family of DIN models on MovieLens, one per consecutive time window of the training period (the "one model per
/// time window" case CKI is for), each from one initialisation and kept at its best VALIDATION epoch.
/// </summary>
public static class MovieLensFamily
{
    /// <summary>Trains <paramref name="models"/> models and writes <c>{folder}/{a,b,...}/model.safetensors</c>; returns the files.</summary>
    public static IReadOnlyList<string> Write(string folder, MovieLensData data, int models, int epochs, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var dataset = CtrDataset.Build(data);
        var times = dataset.Train.Select(s => s.Timestamp).Order().ToList();
        var bounds = Enumerable.Range(0, models + 1).Select(i => i == models ? long.MaxValue : times[i * times.Count / models]).ToList();
        var files = new List<string>();
        for (var k = 0; k < models; k++)
        {
            var (from, to) = (bounds[k], bounds[k + 1]);
            using var task = new DinTask(dataset, s => s.Timestamp >= from && s.Timestamp < to);
            var start = TaskTrainer.Initialize(task.Layout, seed: 0, DinTask.Embeddings);
            var (best, epoch, validation) = TaskTrainer.TrainBest(task, start, epochs, 1e-3, task.BatchSize, shuffleSeed: k, line => log?.Invoke("  " + line));
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"model {(char)('a' + k)}: time window {k + 1} of {models}, kept epoch {epoch} (validation AUC {validation:F4})"));
            using (var writer = ShardedCheckpointWriter.Create(Path.Combine(folder, ((char)('a' + k)).ToString()), task.Layout, long.MaxValue,
                new Dictionary<string, string> { ["producer"] = "cki-compute demo family", ["task"] = "movielens", ["time_window"] = $"{k + 1} of {models}" }))
            {
                foreach (var spec in task.Layout)
                {
                    writer.Write(spec.Name, best[spec.Name].contiguous());
                }

                writer.Commit();
                files.Add(writer.Location);
            }

            foreach (var t in start.Values.Concat(best.Values))
            {
                t.Dispose();
            }
        }

        return files;
    }
}
