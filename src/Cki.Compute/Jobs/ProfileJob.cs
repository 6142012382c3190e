using System.Text.Json;
using Cki.Compute.Checkpoints;
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
    public const string ProfileFile = "profile.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JobOutcome Run(JobContext context, ProfileJobSpec spec)
    {
        var histogram = context.Manifest.Merge.Histogram == "closed" ? HistogramMode.Closed : HistogramMode.Reference;
        using var checkpoint = Checkpoint.Open(context.Storage.Url(spec.Checkpoint), hashFiles: true, cancellationToken: context.CancellationToken);
        var tensors = new List<object>();
        long nonFinite = 0, bytes = 0;
        foreach (var tensorSpec in checkpoint.Tensors)
        {
            using var value = checkpoint.ReadTensor(tensorSpec.Name, context.CancellationToken);
            bytes += tensorSpec.ByteCount;
            if (!tensorSpec.Dtype.IsFloatingPoint())
            {
                tensors.Add(new { name = tensorSpec.Name, dtype = tensorSpec.Dtype.HeaderName(), count = tensorSpec.ElementCount });
                continue;
            }

            var s = TensorStatistics.Compute(value, histogram);
            nonFinite += s.NonFinite;
            tensors.Add(new
            {
                name = tensorSpec.Name, dtype = tensorSpec.Dtype.HeaderName(), count = s.Count, non_finite = s.NonFinite,
                min = Finite(s.Min), max = Finite(s.Max), mean = Finite(s.Mean), std = Finite(s.Std),
                // The global term's entropy (TensorStatistics uses its histogram pass), so splice jobs can take it as it is.
                entropy = s.NonFinite > 0 ? null : Finite(s.Entropy),
            });
        }

        var digests = checkpoint.FileDigests(context.CancellationToken).Select(d => new { file = d.File, sha256 = d.Sha256 }).ToList();
        var document = new { checkpoint = spec.Checkpoint, files = digests, tensors };
        var bytesOut = JsonSerializer.SerializeToUtf8Bytes(document, Indented);
        context.Storage.WriteSmall(context.OutputName(ProfileFile), bytesOut, context.CancellationToken);
        return new JobOutcome(
            new Dictionary<string, double> { ["tensors"] = checkpoint.Tensors.Count, ["bytes_read"] = bytes, ["non_finite"] = nonFinite },
            [context.OutputName(ProfileFile)]);
    }

    // JSON has no NaN or infinity: a statistic of a tensor with non-finite values is written as null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
