namespace Cki.Compute.Method;

/// <summary>How the 10-bin histogram of the global information term treats its upper edge (docs/method.md: global information).</summary>
public enum HistogramMode
{
    /// <summary>
    /// The authors' code: every bin is half-open <c>[lo, hi)</c>, including the last, so the maximum element falls
    /// in no bin and the probabilities sum below 1. The default.
    /// </summary>
    Reference,

    /// <summary>The last bin is closed <c>[lo, max]</c>, so every finite element is counted.</summary>
    Closed,
}
