using Cki.Compute.Config;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Jobs;

/// <summary>
/// The manifest's <c>merge:</c> options as the merge engine's <see cref="MergeConfig"/>: the same options give the
/// same tensors whether a merge runs in <c>cki-compute merge</c> or as the workflow's splice jobs.
/// </summary>
public static class ManifestMergeConfig
{
    /// <summary>The config of a merge of <paramref name="models"/> into <paramref name="output"/> under <paramref name="manifest"/>'s options.</summary>
    public static MergeConfig From(FamilyManifest manifest, IReadOnlyList<string> models, string output, string? method = null, string? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var merge = manifest.Merge;
        return new MergeConfig
        {
            Models = models,
            Method = method ?? merge.Method,
            Splice = merge.Splice == "hard" ? SpliceMode.Hard : SpliceMode.Soft,
            Form = merge.Form == "linear" ? CompatibilityForm.Linear : CompatibilityForm.ExpSoftmax,
            Tensors = new Config.TensorSelection(merge.Tensors.Mode, merge.Tensors.Patterns),
            Histogram = merge.Histogram == "closed" ? HistogramMode.Closed : HistogramMode.Reference,
            Output = output,
            AllowNonFinite = merge.AllowNonFinite,
            Seed = merge.Seed,
            Base = baseUrl,
            Threshold = merge.Threshold,
            Lambda = merge.Lambda,
            Density = merge.Density,
            A = merge.A,
            C = merge.C,
            HashInputs = false,
            Task = manifest.Task == "none" ? null : new TaskConfig
            {
                Name = manifest.Task,
                LearningRates = manifest.Candidates.LearningRates,
                Epochs = manifest.Candidates.Epochs,
                BatchSize = manifest.Candidates.BatchSize,
            },
        };
    }
}
