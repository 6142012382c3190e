using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>assess</c>: one candidate of the learned assessment (one learning rate): trains the local uncertainty through
/// the task's forward pass, keeps the epoch best on VALIDATION, and writes the per-element weights of the spliced
/// tensors to <c>weights.safetensors</c>.
/// </summary>
internal static class AssessJob
{
    public const string WeightsFile = "weights.safetensors";

    public static JobOutcome Run(JobContext context, AssessJobSpec spec)
    {
        var task = context.RequireTask();
        var config = ManifestMergeConfig.From(context.Manifest, context.InputUrls, context.OutputUrl(WeightsFile), context.Storage.Locations);
        config = config with { Candidates = config.Candidates with { LearningRates = [spec.LearningRate] } };
        var models = context.InputUrls.Select(url => Checkpoint.Open(url, context.Storage.Locations, cancellationToken: context.CancellationToken)).ToList();
        try
        {
            var selected = MergeMethodResolver.Selection(config, () => task);
            using var result = MergeRun.Assess(config, models, task, selected, context.Log, context.CancellationToken);
            var layout = result.Weights.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new TensorSpec(p.Key, TensorDtypeTorch.FromScalarType(p.Value.dtype), p.Value.shape)).ToList();
            var metadata = new Dictionary<string, string>
            {
                ["cki.run"] = spec.RunId, ["cki.job"] = spec.JobId,
                ["cki.learning_rate"] = spec.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            };
            using (var writer = ShardedCheckpointWriter.Create(MergeOutputLocation.From(config.Output).Folder, layout, long.MaxValue, metadata,
                context.Storage.Locations, singleFileName: WeightsFile))
            {
                foreach (var tensor in layout)
                {
                    writer.Write(tensor.Name, result.Weights[tensor.Name].contiguous(), context.CancellationToken);
                }

                writer.Commit(cancellationToken: context.CancellationToken);
            }

            var figures = new Dictionary<string, double>
            {
                [JobFigures.Validation] = result.BestValidation, [JobFigures.BestEpoch] = result.BestEpoch, [JobFigures.LearningRate] = result.LearningRate,
                ["p_change"] = result.PChange, ["spliced_tensors"] = layout.Count,
            };
            return new JobOutcome(figures, [context.OutputName(WeightsFile)]);
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }
}
