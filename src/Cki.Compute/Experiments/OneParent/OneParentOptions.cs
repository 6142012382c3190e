using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments.OneParent;

/// <summary>One way of dividing the training samples among the children.</summary>
/// <param name="Kind">Time halves or user groups.</param>
/// <param name="Children">K, the number of children (2 for time halves).</param>
public sealed record ChildSplitSpec(ChildSplitKind Kind, int Children)
{
    /// <summary>The setting's name in results: "one parent: time halves (K = 2)", "one parent: user groups (K = 4)".</summary>
    public string Setting => Kind == ChildSplitKind.TimeHalves
        ? $"one parent: time halves (K = {Children})"
        : $"one parent: user groups (K = {Children})";

    /// <summary>The command-line name: <c>time-halves</c>, <c>users-2</c>, <c>users-4</c>.</summary>
    public string CliName => Kind == ChildSplitKind.TimeHalves ? "time-halves" : $"users-{Children}";

    /// <summary>Parses a command-line name.</summary>
    public static ChildSplitSpec Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "time-halves")
        {
            return new(ChildSplitKind.TimeHalves, 2);
        }

        return name.StartsWith("users-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), out var k) && k >= 2
            ? new(ChildSplitKind.UserGroups, k)
            : throw new ArgumentException($"'{name}' is not time-halves or users-K (K >= 2).");
    }
}

/// <summary>Sizes and choices of the one-parent MovieLens experiment.</summary>
public sealed record OneParentOptions
{
    /// <summary>Seeds; each seed trains its own parent and children, and intervals are over seeds.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>Epochs of the parent on all training samples; its kept epoch is chosen on validation.</summary>
    public int ParentEpochs { get; init; } = 3;

    /// <summary>N: epochs each child is fine-tuned from the parent on its part (fixed, not selected).</summary>
    public int ChildEpochs { get; init; } = 1;

    /// <summary>Epochs of CKI's assessment (P only; the epoch is chosen on validation).</summary>
    public int AssessmentEpochs { get; init; } = 1;

    /// <summary>Learning rates swept by the assessment (the best on validation wins).</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-2];

    /// <summary>The ways of dividing the training samples among the children.</summary>
    public IReadOnlyList<ChildSplitSpec> Splits { get; init; } =
        [new(ChildSplitKind.TimeHalves, 2), new(ChildSplitKind.UserGroups, 2), new(ChildSplitKind.UserGroups, 4)];

    /// <summary>How the samples are split into training, validation and test.</summary>
    public CtrSplit Split { get; init; } = CtrSplit.PerUser;

    /// <summary>Which DIN the models are.</summary>
    public DinFeatures Features { get; init; } = DinTask.DefaultFeatures;

    /// <summary>Batch size of every training of the models themselves (parent, children, controls, retraining); the assessment keeps its own (1024).</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Most recent positively rated movies kept as a sample's history (the base model's default: 20).</summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>
    /// How the parent's weights start: false (default) the project's (N(0, 0.05) embeddings, Xavier-uniform matrices, zero
    /// vectors); true PyTorch's module defaults (N(0, 1) embeddings, U(+/- 1/sqrt(in)) matrices and biases), a probe of
    /// the base model.
    /// </summary>
    public bool PyTorchInit { get; init; }

    /// <summary>Train and report the parents only (a probe of the base model; no children, no integration).</summary>
    public bool ParentOnly { get; init; }

    /// <summary>Keep only the users with the smallest ids (tests and --quick); null keeps all.</summary>
    public int? MaxUsers { get; init; }

    /// <summary>Where the models train and are evaluated.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>
    /// The small configuration (CI, demos): one seed, the user-group split with K = 2, one epoch everywhere, the 200
    /// users with the smallest ids.
    /// </summary>
    public static OneParentOptions Quick { get; } = new()
    {
        Seeds = 1, ParentEpochs = 1, ChildEpochs = 1, AssessmentEpochs = 1, Splits = [new(ChildSplitKind.UserGroups, 2)], MaxUsers = 200,
    };
}
