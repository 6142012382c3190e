using Cki.Compute.Checkpoints;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>Everything one streaming merge needs.</summary>
public sealed record MergeRequest
{
    /// <summary>The inputs, model A first; they must share one architecture.</summary>
    public required IReadOnlyList<Checkpoint> Models { get; init; }

    /// <summary>The method applied to the selected tensors.</summary>
    public required IMergeMethod Method { get; init; }

    /// <summary>Which tensors the method merges; the others, and every non-floating-point tensor, come from model A.</summary>
    public required Func<string, bool> Selected { get; init; }

    /// <summary>Which tensors are written at all (one shard of a model split across jobs); every tensor when null.</summary>
    public Func<string, bool>? Include { get; init; }

    /// <summary>Where the model, map and summary go.</summary>
    public required MergeOutputLocation Output { get; init; }

    /// <summary>How the outputs are opened (the storage account of blob URLs).</summary>
    public CheckpointLocations Locations { get; init; } = CheckpointLocations.Default;

    /// <summary>Provenance written into every output's <c>__metadata__</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>How the compatibility summary names the inputs, model A first; their locations when null.</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>The base model, for methods that need one.</summary>
    public Checkpoint? Base { get; init; }

    /// <summary>Tensors written instead of model A's for unselected tensors (a trunk trained by the assessment).</summary>
    public IReadOnlyDictionary<string, Tensor> Replacements { get; init; } = new Dictionary<string, Tensor>();

    /// <summary>Accept NaN or infinite values in the inputs instead of failing.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>The most data one output shard holds (folder outputs).</summary>
    public long MaxShardBytes { get; init; } = MergeSpec.DefaultMaxShardBytes;

    /// <summary>Called after each tensor with (tensors done, bytes read so far, tensor name).</summary>
    public Action<int, long, string>? Progress { get; init; }

    /// <summary>Memory for buffers of inputs read ahead (<see cref="StreamingMerger.ReadAheadBytes"/>; tests take it down to none).</summary>
    internal long ReadAheadBytes { get; init; } = StreamingMerger.ReadAheadBytes;
}
