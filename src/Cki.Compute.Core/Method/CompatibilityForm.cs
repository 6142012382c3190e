namespace Cki.Compute.Method;

/// <summary>How local uncertainty and global information combine into per-model weights (docs/method.md: forms).</summary>
public enum CompatibilityForm
{
    /// <summary>
    /// F2, the default: <c>s_k = g_k (1 - exp(-g_k l_k))</c>, <c>w = softmax_k(s)</c>; a gentle element-wise
    /// re-weighting around the average.
    /// </summary>
    ExpSoftmax,

    /// <summary>F1, two models only: <c>w_A = w_g w_l + (1 - w_g)</c>, <c>w_B = 1 - w_A</c>.</summary>
    Linear,

    /// <summary>Ablation: the local term alone, <c>w_k = l_k / sum_j l_j</c> (for K = 2, w_A = w_l).</summary>
    LocalOnly,

    /// <summary>
    /// Ablation and data-free mode: the global term alone, one scalar per tensor, <c>w_k = g_k / sum_j g_j</c>
    /// (for K = 2, w_A = w_g).
    /// </summary>
    GlobalOnly,
}
