using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Pruning as the authors coded it (<c>prune-reference</c>): model A's tensor with every element not above the
/// threshold (0.02) set to zero. The comparison is signed, so it also zeroes every negative weight; that is the
/// reference behaviour, reported as "pruning (reference)".
/// </summary>
public sealed class PruneReferenceMethod(double threshold) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "prune-reference";

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var a = input.Thetas[0];
        using var scope = NewDisposeScope();
        return new MergeOutput(a.where(a.gt(threshold), zeros_like(a)).MoveToOuterDisposeScope(), null);
    }
}

/// <summary>Magnitude pruning (<c>prune-magnitude</c>): model A's tensor with every |w| not above the threshold set to zero.</summary>
public sealed class PruneMagnitudeMethod(double threshold) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "prune-magnitude";

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var a = input.Thetas[0];
        using var scope = NewDisposeScope();
        return new MergeOutput(a.where(a.abs().gt(threshold), zeros_like(a)).MoveToOuterDisposeScope(), null);
    }
}
