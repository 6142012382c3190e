namespace Cki.Contracts.Manifests;

/// <summary>
/// Every parameter some merge method declares, each declared once with its default and the values it accepts
/// (docs/method.md, the options table). Options every method takes (<c>tensors</c>, <c>seed</c>,
/// <c>allow_non_finite</c>) are not parameters of a method.
/// </summary>
public static class MergeParameters
{
    /// <summary>How the weights combine the models' values.</summary>
    public static MergeParameter Splice { get; } = new()
    {
        Name = "splice", Kind = MergeParameterKind.Choice, Choices = ["soft", "hard"], Default = "soft",
        Description = "a weighted sum of the models (soft), or each element from the model of the largest weight (hard)",
    };

    /// <summary>How the local and global terms combine.</summary>
    public static MergeParameter Form { get; } = new()
    {
        Name = "form", Kind = MergeParameterKind.Choice, Choices = ["exp-softmax", "linear"], Default = "exp-softmax",
        Description = "how the local and global terms combine; linear for two models only",
    };

    /// <summary>The global term's histogram.</summary>
    public static MergeParameter Histogram { get; } = new()
    {
        Name = "histogram", Kind = MergeParameterKind.Choice, Choices = ["reference", "closed"], Default = "reference",
        Description = "the authors' histogram, the maximum counted in no bin (reference), or every finite value counted (closed)",
    };

    /// <summary>Amplitude a of the global term.</summary>
    public static MergeParameter Amplitude { get; } = new()
    {
        Name = "a", Kind = MergeParameterKind.Number, Range = NumberRange.AboveUpTo(0, 1), Default = "0.4",
        Description = "amplitude of the global term",
    };

    /// <summary>Steepness c of the global term.</summary>
    public static MergeParameter Steepness { get; } = new()
    {
        Name = "c", Kind = MergeParameterKind.Number, Range = NumberRange.Above(0), Default = "500",
        Description = "steepness of the global term",
    };

    /// <summary>The pruning threshold.</summary>
    public static MergeParameter Threshold { get; } = new()
    {
        Name = "threshold", Kind = MergeParameterKind.Number, Range = NumberRange.AtLeast(0), Default = "0.02",
        Description = "values at or below it are set to 0",
    };

    /// <summary>The model the task vectors are taken against.</summary>
    public static MergeParameter Base { get; } = new()
    {
        Name = "base", Kind = MergeParameterKind.Checkpoint,
        Description = "the base model the task vectors are taken against",
    };

    /// <summary>The scale of the summed task vectors.</summary>
    public static MergeParameter Lambda { get; } = new()
    {
        Name = "lambda", Kind = MergeParameterKind.Number, Default = "1",
        Description = "scale of the summed task vectors",
    };

    /// <summary>The share of each task vector TIES keeps.</summary>
    public static MergeParameter Density { get; } = new()
    {
        Name = "density", Kind = MergeParameterKind.Number, Range = NumberRange.AboveUpTo(0, 1), Default = "0.2",
        Description = "share of each task vector kept, by magnitude",
    };

    /// <summary>Every parameter, in the order of docs/method.md.</summary>
    public static IReadOnlyList<MergeParameter> All { get; } = [Splice, Form, Histogram, Amplitude, Steepness, Threshold, Lambda, Density, Base];
}
