using Cki.Compute.Merging;
using Cki.Contracts.Jobs;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>evaluate</c>: the manifest's metrics on the validation and test splits for one model, the output ensemble of
/// several, or a data-free baseline merge of the inputs (merged first into this job's folder); and the validation
/// predictions (<see cref="ValidationPredictions"/>) for the decision.
/// </summary>
internal static class EvaluateJob
{
    public const string BaselineFile = "model.safetensors";

    public static JobOutcome Run(JobContext context, EvaluateJobSpec spec)
    {
        var task = context.RequireTask();
        var outputs = new List<string>();
        List<string> urls;
        if (spec.Baseline is not null)
        {
            var baseUrl = context.Manifest.Merge.Base is { } b ? context.Storage.Url(b) : null;
            var config = ManifestMergeConfig.From(context.Manifest, context.InputUrls, context.OutputUrl(BaselineFile), context.Storage.Locations, spec.Baseline, baseUrl);
            MergeRun.Run(config, context.Log, cancellationToken: context.CancellationToken, taskModel: task);
            urls = [context.OutputUrl(BaselineFile)];
            outputs.Add(context.OutputName(BaselineFile));
        }
        else
        {
            urls = spec.Models.Select(context.Storage.Url).ToList();
        }

        if (urls.Count == 0)
        {
            throw new ArgumentException($"{spec.JobId}: an evaluate job needs models or a baseline.");
        }

        var models = new List<Dictionary<string, Tensor>>();
        try
        {
            models.AddRange(urls.Select(u => TaskMetrics.Load(u, context.Storage.Locations, context.CancellationToken)));
            // The validation predictions go beside the figures: the decide job compares candidates on the same samples.
            var figures = TaskMetrics.Of(task, models, context.Manifest.Evaluation.Metrics,
                (logits, labels) => ValidationPredictions.Write(context.OutputUrl(ValidationPredictions.FileName), logits, labels, context.Storage.Locations, context.CancellationToken));
            figures["inference_cost"] = models.Count;
            outputs.Add(context.OutputName(ValidationPredictions.FileName));
            return new JobOutcome(figures, outputs);
        }
        finally
        {
            foreach (var t in models.SelectMany(m => m.Values))
            {
                t.Dispose();
            }
        }
    }
}
