namespace Cki.Contracts.Manifests;

/// <summary>What kind of value a merge parameter takes.</summary>
public enum MergeParameterKind
{
    /// <summary>One of a few names (<see cref="MergeParameter.Choices"/>).</summary>
    Choice,

    /// <summary>A finite number within <see cref="MergeParameter.Range"/>.</summary>
    Number,

    /// <summary>A checkpoint: a blob reference in a family manifest, a path or URL in merge.yaml.</summary>
    Checkpoint,
}
