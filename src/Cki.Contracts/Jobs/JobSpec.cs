using System.Text.Json.Serialization;

namespace Cki.Contracts.Jobs;

/// <summary>
/// One compute job, as <c>runs/{runId}/jobs/{jobId}/spec.json</c> holds it. Every input and output is a blob name
/// (<c>container/name</c>) in the deployment's own account; the run's manifest snapshot carries the method options,
/// so a spec never repeats them. A job writes its outputs, then <c>result.json</c> last.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ProfileJobSpec), JobKinds.Profile)]
[JsonDerivedType(typeof(AssessJobSpec), JobKinds.Assess)]
[JsonDerivedType(typeof(SpliceJobSpec), JobKinds.Splice)]
[JsonDerivedType(typeof(EvaluateJobSpec), JobKinds.Evaluate)]
[JsonDerivedType(typeof(RetrainJobSpec), JobKinds.Retrain)]
[JsonDerivedType(typeof(DecideJobSpec), JobKinds.Decide)]
public abstract record JobSpec
{
    /// <summary>The run (orchestration instance) the job belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The job's id, unique in its run; the event <c>job:{jobId}</c> reports its result.</summary>
    public required string JobId { get; init; }

    /// <summary>The family being integrated.</summary>
    public required string Family { get; init; }

    /// <summary>The run's manifest snapshot (<c>runs/{runId}/cki.yaml</c>): task, method options, data references.</summary>
    public required string Manifest { get; init; }

    /// <summary>The input checkpoints, model A first: each a single file or a shard index.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>
    /// The version the run started on of every input blob (<c>container/name</c>: each single file, index and shard of the
    /// inputs, and <c>merge.base</c>): the job reads them at these versions only and fails, saying which input changed,
    /// when one was replaced. Empty in specs written before inputs were pinned: read as found.
    /// </summary>
    public IReadOnlyDictionary<string, InputVersion> InputVersions { get; init; } = new Dictionary<string, InputVersion>();

    /// <summary>The job kind (written as the JSON discriminator <c>kind</c>, not as a property).</summary>
    [JsonIgnore]
    public string Kind => this switch
    {
        ProfileJobSpec => JobKinds.Profile,
        AssessJobSpec => JobKinds.Assess,
        SpliceJobSpec => JobKinds.Splice,
        EvaluateJobSpec => JobKinds.Evaluate,
        RetrainJobSpec => JobKinds.Retrain,
        DecideJobSpec => JobKinds.Decide,
        _ => throw new NotSupportedException(GetType().Name),
    };
}

/// <summary>Per-tensor statistics of one checkpoint: entropy for the global term, min/max/mean/std, non-finite count, SHA-256.</summary>
public sealed record ProfileJobSpec : JobSpec
{
    /// <summary>The checkpoint profiled (one of <see cref="JobSpec.Inputs"/>).</summary>
    public required string Checkpoint { get; init; }
}

/// <summary>One candidate of the learned assessment: trains the local uncertainty at one learning rate.</summary>
public sealed record AssessJobSpec : JobSpec
{
    /// <summary>The candidate's learning rate.</summary>
    public required double LearningRate { get; init; }
}

/// <summary>Splices one shard of tensors and writes it, with its compatibility map, into the run's output folder.</summary>
public sealed record SpliceJobSpec : JobSpec
{
    /// <summary>1-based shard number.</summary>
    public required int Shard { get; init; }

    /// <summary>How many shards the model is split into.</summary>
    public required int ShardCount { get; init; }

    /// <summary>The tensors this shard holds, in layout order.</summary>
    public required IReadOnlyList<string> Tensors { get; init; }

    /// <summary>The kept candidate's per-element weights (learned methods); null for data-free methods.</summary>
    public string? Weights { get; init; }

    /// <summary>
    /// The inputs' profiles (<c>profile.json</c>, input order): the global term's entropies are taken from them instead
    /// of being computed again; empty computes them.
    /// </summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The run's output folder (<c>integrated/{family}/{runId}/</c>).</summary>
    public required string OutputFolder { get; init; }
}

/// <summary>Evaluates one model (or the output ensemble of several, or a baseline merge of the inputs) on the task.</summary>
public sealed record EvaluateJobSpec : JobSpec
{
    /// <summary>What is evaluated, as the report names it (e.g. <c>integrated</c>, <c>input a</c>, <c>baseline average</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The models: one for a single model, several for the output ensemble; empty for a baseline.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>A data-free merge method applied to <see cref="JobSpec.Inputs"/> first, for a baseline.</summary>
    public string? Baseline { get; init; }
}

/// <summary>Retrains the integrated model for some epochs on the training split.</summary>
public sealed record RetrainJobSpec : JobSpec
{
    /// <summary>The model retrained.</summary>
    public required string Model { get; init; }

    /// <summary>Epochs of retraining.</summary>
    public required int Epochs { get; init; }
}

/// <summary>
/// Decides on validation data what the run publishes (the manifest's <c>promotion:</c> section): reads every candidate's
/// validation predictions, applies the policy with a paired bootstrap, and writes <c>decision.json</c>.
/// </summary>
public sealed record DecideJobSpec : JobSpec
{
    /// <summary>The candidates, in tie-breaking order (the earlier wins a tie).</summary>
    public required IReadOnlyList<PromotionCandidate> Candidates { get; init; }
}

/// <summary>A model the run may publish, as a decide job reads it.</summary>
/// <param name="Name">What it is (see <see cref="Runs.DecisionCandidate.Name"/>).</param>
/// <param name="Cost">Its inference cost in single models.</param>
/// <param name="Predictions">Its validation predictions (an evaluate job's <c>validation-predictions.safetensors</c>).</param>
/// <param name="Test">Its test metrics by name (reported beside the decision, never deciding).</param>
public sealed record PromotionCandidate(string Name, int Cost, string Predictions, IReadOnlyDictionary<string, double> Test);
