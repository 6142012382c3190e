namespace Cki.Contracts.Manifests;

/// <summary>
/// A merge method as the options files, the workflow, provenance, docs and <c>--help</c> know it: its name, what it
/// computes, the parameters it declares and what it needs besides the models. The engine maps it to an
/// implementation in one place (Cki.Compute's MergeMethodResolver).
/// </summary>
public sealed record MergeMethod
{
    /// <summary>The name in the options files, e.g. <c>ties</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it computes, in one line.</summary>
    public required string Summary { get; init; }

    /// <summary>The parameters it declares, besides the options every method takes.</summary>
    public IReadOnlyList<MergeParameter> Parameters { get; init; } = [];

    /// <summary>Whether it learns the local assessment, so needs a task with data.</summary>
    public bool NeedsData { get; init; }

    /// <summary>Whether it needs a base model (<see cref="MergeParameters.Base"/>), the one its task vectors are taken against.</summary>
    public bool NeedsBase => Parameters.Contains(MergeParameters.Base);

    /// <summary>Whether it declares a parameter named <paramref name="name"/>.</summary>
    public bool Declares(string name) => Parameters.Any(p => p.Name == name);
}
