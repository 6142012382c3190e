using Cki.Contracts.Documents;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Compute.Statistics;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>profile</c>: per-tensor statistics of one checkpoint (entropy for the global term, min/max/mean/std,
/// non-finite count) and the SHA-256 of its files, into <c>profile.json</c>.
/// </summary>
internal static class ProfileJob
{
    public const string ProfileFile = RunDocuments.ProfileFile;

    public static JobOutcome Run(JobContext context, ProfileJobSpec spec)
    {
        var histogram = context.Manifest.Merge.Histogram == "closed" ? HistogramMode.Closed : HistogramMode.Reference;
        using var checkpoint = Checkpoint.Open(context.Storage.Url(spec.Checkpoint), context.Storage.Locations, hashFiles: true, cancellationToken: context.CancellationToken);
        var tensors = new List<TensorProfile>();
        long nonFinite = 0, bytes = 0;
        foreach (var tensorSpec in checkpoint.Tensors)
        {
            using var value = checkpoint.ReadTensor(tensorSpec.Name, context.CancellationToken);
            bytes += tensorSpec.ByteCount;
            if (!tensorSpec.Dtype.IsFloatingPoint())
            {
                tensors.Add(new TensorProfile { Name = tensorSpec.Name, Dtype = tensorSpec.Dtype.HeaderName(), Count = tensorSpec.ElementCount });
                continue;
            }

            var s = TensorStatistics.Compute(value, histogram);
            nonFinite += s.NonFinite;
            tensors.Add(new TensorProfile
            {
                Name = tensorSpec.Name, Dtype = tensorSpec.Dtype.HeaderName(), Count = s.Count, NonFinite = s.NonFinite,
                Min = Finite(s.Min), Max = Finite(s.Max), Mean = Finite(s.Mean), Std = Finite(s.Std),
                // The global term's entropy (TensorStatistics uses its histogram pass), so splice jobs can take it as it is.
                Entropy = s.NonFinite > 0 ? null : Finite(s.Entropy),
            });
        }

        // Files as blob references (container/name): the account and any SAS stay out of documents.
        var digests = checkpoint.FileDigests(context.CancellationToken).Select(d => new ProfiledFile(ProvenanceNames.Of(d.File, null), d.Sha256)).ToList();
        var profile = RunDocuments.Profile(context.OutputName(ProfileFile));
        context.Storage.Write(profile, new ProfileDocument { Checkpoint = spec.Checkpoint, Files = digests, Tensors = tensors }, context.CancellationToken);
        return new JobOutcome(
            new Dictionary<string, double> { [JobFigures.Tensors] = checkpoint.Tensors.Count, [JobFigures.BytesRead] = bytes, [JobFigures.NonFinite] = nonFinite },
            [context.OutputName(ProfileFile)]);
    }

    // JSON has no NaN or infinity: a statistic of a tensor with non-finite values is written as null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
