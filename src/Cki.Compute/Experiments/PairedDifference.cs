namespace Cki.Compute.Experiments;

/// <summary>
/// The paired difference of a metric between a method and a reference over seeds: per seed <c>d_i = method_i -
/// reference_i</c>, their mean, a 95 % Student t-interval of the mean (<c>mean ± t(0.975, n - 1) * sd / sqrt(n)</c>; no
/// interval with one seed), and how many seeds the method won (<c>d_i &gt; 0</c>).
/// </summary>
/// <param name="Seeds">Number of seed pairs.</param>
/// <param name="Mean">Mean difference.</param>
/// <param name="Low">Lower end of the 95 % interval (NaN with one seed).</param>
/// <param name="High">Upper end of the 95 % interval (NaN with one seed).</param>
/// <param name="Wins">Seeds where the method is above the reference.</param>
public sealed record PairedDifference(int Seeds, double Mean, double Low, double High, int Wins)
{
    // Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom, then 40, 60, 120 (standard tables).
    private static readonly double[] Critical =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The paired difference of <paramref name="method"/> and <paramref name="reference"/> (same seed order).</summary>
    public static PairedDifference Of(IReadOnlyList<double> method, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(reference);
        if (method.Count != reference.Count || method.Count == 0)
        {
            throw new ArgumentException($"Paired values need the same number of seeds (got {method.Count} and {reference.Count}), at least one.");
        }

        var d = method.Zip(reference, (m, r) => m - r).ToList();
        var mean = d.Average();
        var wins = d.Count(x => x > 0);
        if (d.Count == 1)
        {
            return new PairedDifference(1, mean, double.NaN, double.NaN, wins);
        }

        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Count - 1));
        var half = TCritical95(d.Count - 1) * sd / Math.Sqrt(d.Count);
        return new PairedDifference(d.Count, mean, mean - half, mean + half, wins);
    }

    /// <summary>
    /// The two-sided 95 % critical value of Student's t with <paramref name="degrees"/> degrees of freedom; past 30 the
    /// table's next lower entry (40, 60, 120) is used, which errs on the wide side.
    /// </summary>
    public static double TCritical95(int degrees) => degrees switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "At least one degree of freedom."),
        <= 30 => Critical[degrees - 1],
        < 40 => Critical[29],
        < 60 => 2.021,
        < 120 => 2.000,
        _ => 1.980,
    };

    /// <summary>Whether the whole interval is above zero.</summary>
    public bool Above => Low > 0;

    /// <summary>Whether the whole interval is below zero.</summary>
    public bool Below => High < 0;
}
