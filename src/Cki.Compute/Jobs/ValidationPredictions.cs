using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>validation-predictions.safetensors</c>, written by every evaluate job: the model's validation logits (<c>logits</c>,
/// [N] or [N, classes], float32) and the labels (<c>labels</c>, [N], float32), in the task's sample order, so that the
/// decide job can compare any two models on the same validation samples (a paired bootstrap) without a forward pass.
/// </summary>
internal static class ValidationPredictions
{
    /// <summary>The file's name in the evaluate job's folder.</summary>
    public const string FileName = Contracts.Jobs.JobOutputs.ValidationPredictions;

    /// <summary>The most samples a decide job reads (4 million, 32 MB of binary logits).</summary>
    public const long MaxSamples = 4_000_000;

    /// <summary>Writes the predictions to <paramref name="url"/>.</summary>
    public static void Write(string url, Tensor logits, Tensor labels, CheckpointLocations locations, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["labels"] = labels.reshape(-1).to_type(ScalarType.Float32).contiguous(),
            ["logits"] = logits.to_type(ScalarType.Float32).contiguous(),
        };
        var layout = tensors.Select(p => new TensorSpec(p.Key, TensorDtype.F32, p.Value.shape)).ToList();
        using var writer = ShardedCheckpointWriter.Create(MergeOutputLocation.From(url).Folder, layout, long.MaxValue, locations: locations, singleFileName: FileName);
        foreach (var spec in layout)
        {
            writer.Write(spec.Name, tensors[spec.Name], cancellationToken);
        }

        writer.Commit(cancellationToken: cancellationToken);
    }

    /// <summary>Reads predictions: the logits row by row, the labels, and the classes per sample (1 for binary logits).</summary>
    public static (double[] Logits, double[] Labels, int Classes) Read(string url, CheckpointLocations locations, CancellationToken cancellationToken)
    {
        using var checkpoint = Checkpoint.Open(url, locations, cancellationToken: cancellationToken);
        var labelsSpec = checkpoint.Tensors.FirstOrDefault(t => t.Name == "labels")
            ?? throw new InvalidDataException($"{url}: no tensor 'labels' (not validation predictions).");
        var logitsSpec = checkpoint.Tensors.FirstOrDefault(t => t.Name == "logits")
            ?? throw new InvalidDataException($"{url}: no tensor 'logits' (not validation predictions).");
        var samples = labelsSpec.Shape.Aggregate(1L, (a, b) => a * b);
        if (samples > MaxSamples || logitsSpec.Shape.Count is 0 or > 2 || logitsSpec.Shape[0] != samples)
        {
            throw new InvalidDataException($"{url}: expected labels [N] and logits [N] or [N, classes] with N at most {MaxSamples}, " +
                $"found labels [{string.Join(", ", labelsSpec.Shape)}] and logits [{string.Join(", ", logitsSpec.Shape)}].");
        }

        using var scope = NewDisposeScope();
        var labels = checkpoint.ReadTensor("labels", cancellationToken).to_type(ScalarType.Float64).data<double>().ToArray();
        var logits = checkpoint.ReadTensor("logits", cancellationToken).to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        return (logits, labels, logitsSpec.Shape.Count == 2 ? (int)logitsSpec.Shape[1] : 1);
    }
}
