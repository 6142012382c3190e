namespace Cki.Compute.Experiments.OneParent;

/// <summary>The rows of the one-parent experiment, as named in results.</summary>
public static class OneParentMethods
{
    /// <summary>The parent at its validation-kept epoch.</summary>
    public const string Parent = "parent";

    /// <summary>The child with the best validation AUC.</summary>
    public const string BestChild = "best child";

    /// <summary>Head weight matrices averaged (child 1's trunk and head biases).</summary>
    public const string Averaging = "averaging (head)";

    /// <summary>Every tensor averaged.</summary>
    public const string AveragingAll = "averaging (all tensors)";

    /// <summary>Task arithmetic, base = parent, lambda chosen on validation, on the head.</summary>
    public const string TaskArithmetic = "task arithmetic (head)";

    /// <summary>Task arithmetic on every tensor.</summary>
    public const string TaskArithmeticAll = "task arithmetic (all tensors)";

    /// <summary>TIES, base = parent, density 0.2, lambda chosen on validation, on the head.</summary>
    public const string Ties = "TIES (head)";

    /// <summary>TIES on every tensor.</summary>
    public const string TiesAll = "TIES (all tensors)";

    /// <summary>CKI's data-free global-only form on the head.</summary>
    public const string GlobalOnly = "CKI global-only (head)";

    /// <summary>CKI global-only on every tensor.</summary>
    public const string GlobalOnlyAll = "CKI global-only (all tensors)";

    /// <summary>CKI, exp-softmax form, soft splicing.</summary>
    public const string CkiSoft = "CKI soft (exp-softmax)";

    /// <summary>CKI, exp-softmax form, hard splicing.</summary>
    public const string CkiHard = "CKI hard (exp-softmax)";

    /// <summary>CKI, linear form (K = 2 only), soft splicing.</summary>
    public const string CkiLinearSoft = "CKI soft (linear)";

    /// <summary>CKI, linear form (K = 2 only), hard splicing.</summary>
    public const string CkiLinearHard = "CKI hard (linear)";

    /// <summary>CKI's local-only form, soft splicing.</summary>
    public const string LocalOnly = "CKI local-only";

    /// <summary>One epoch of the whole model on all training samples from CKI soft.</summary>
    public const string RetrainCki = "1 retraining epoch from CKI soft";

    /// <summary>One epoch of the whole model on all training samples from head averaging.</summary>
    public const string RetrainAveraging = "1 retraining epoch from averaging (head)";

    /// <summary>The retraining rows' control: one more epoch of the best child on all training samples.</summary>
    public const string MoreBestChild = "control: 1 more epoch of the best child";

    /// <summary>"control: parent + N epochs on all the children's data" (compute-matched with the children).</summary>
    public static string ParentControl(int epochs) => $"control: parent + {epochs} epoch(s) on all training samples";

    /// <summary>The output ensemble of K children.</summary>
    public static string Ensemble(int children) => $"output ensemble ({children}x cost)";

    /// <summary>Child k (1-based) with its part's name.</summary>
    public static string Child(int k, string part) => $"child {k} ({part})";
}
