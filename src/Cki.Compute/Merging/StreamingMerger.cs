using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>What a merge wrote.</summary>
/// <param name="ModelLocation">The merged model (file or shard index).</param>
/// <param name="MapLocation">The compatibility map, or null when the method has none.</param>
/// <param name="SummaryLocation">The compatibility summary.</param>
/// <param name="Summary">The summary itself.</param>
/// <param name="InputDigests">SHA-256 of every input file, as recorded in the provenance.</param>
/// <param name="BytesRead">Tensor bytes read from the inputs.</param>
/// <param name="BytesWritten">Tensor bytes written (model and map).</param>
public sealed record MergeResult(string ModelLocation, string? MapLocation, string SummaryLocation, CompatibilitySummary Summary,
    IReadOnlyList<(string File, string Sha256)> InputDigests, long BytesRead, long BytesWritten);

/// <summary>
/// Merges checkpoints tensor by tensor: reads the K versions of one tensor, merges them with the method, writes
/// the result (and its compatibility weights) and lets go of them before the next tensor, so memory holds K inputs
/// and one output whatever the model's size. The inputs' SHA-256 are computed as they are read and patched into
/// the outputs' headers at the end; nothing is visible under the output names before the commit.
/// </summary>
public static class StreamingMerger
{
    /// <summary>The metadata key of input file <paramref name="index"/>'s SHA-256.</summary>
    public static string DigestKey(int index) => $"cki.input.{index}.sha256";

    /// <summary>Runs the merge.</summary>
    public static MergeResult Merge(MergeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var models = request.Models;
        var method = request.Method;
        if (models.Count < 2)
        {
            throw new ArgumentException($"A merge needs at least 2 models; got {models.Count}.", nameof(request));
        }

        if (method.NeedsBase && request.Base is null)
        {
            throw new ArgumentException($"Method '{method.Name}' needs a base model ('base:' in the config).", nameof(request));
        }

        var everyInput = request.Base is null ? models : [.. models, request.Base];
        ArchitectureCheck.Ensure(everyInput.Select(m => (m.Location, m.Tensors)).ToList());
        var layout = models[0].Tensors;
        var merged = layout.Where(s => s.Dtype.IsFloatingPoint() && request.Selected(s.Name)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var mapLayout = method.MapKind switch
        {
            CompatibilityMapKind.PerTensor => layout.Where(s => merged.Contains(s.Name)).Select(s => new TensorSpec(s.Name, TensorDtype.F32, [models.Count])).ToList(),
            CompatibilityMapKind.PerElement => layout.Where(s => merged.Contains(s.Name)).Select(s => new TensorSpec(s.Name, TensorDtype.F32, [models.Count, .. s.Shape])).ToList(),
            _ => null,
        };

        // Inputs opened with hashing get their SHA-256 into every output's header at the end.
        var hashed = everyInput.All(m => m.HashesFiles);
        var inputFiles = hashed ? everyInput.Sum(m => m.Files.Count) : 0;
        var deferred = Enumerable.Range(0, inputFiles).ToDictionary(DigestKey, _ => 64, StringComparer.Ordinal);
        var output = request.Output;
        using var modelWriter = ShardedCheckpointWriter.Create(output.Folder, layout, output.Sharded ? request.MaxShardBytes : long.MaxValue,
            request.Metadata, deferred: deferred, singleFileName: output.ModelFileName);
        using var mapWriter = mapLayout is null ? null : ShardedCheckpointWriter.Create(output.Folder, mapLayout, long.MaxValue,
            request.Metadata, deferred: deferred, singleFileName: output.MapFileName);
        using var pool = new TensorPool((models.Count + 2) * layout.Select(s => s.ByteCount).DefaultIfEmpty(0).Max());
        var rented = new List<(ScalarType Type, long Count, Tensor Buffer)>();
        Tensor Read(Checkpoint checkpoint, TensorSpec spec)
        {
            var type = spec.Dtype.ToScalarType();
            var buffer = pool.Rent(type, spec.ElementCount);
            rented.Add((type, spec.ElementCount, buffer));
            checkpoint.ReadTensor(spec.Name, buffer, cancellationToken);
            var tensor = buffer.view([.. spec.Shape]);
            FiniteCheck.Ensure(checkpoint.Location, spec, tensor, request.AllowNonFinite);
            return tensor;
        }

        var compatibility = new List<TensorCompatibility>();
        long read = 0, written = 0;
        var done = 0;
        try
        {
            foreach (var spec in layout)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                if (!merged.Contains(spec.Name))
                {
                    var value = request.Replacements.TryGetValue(spec.Name, out var replacement)
                        ? replacement
                        : Read(models[0], spec);
                    modelWriter.Write(spec.Name, value, cancellationToken);
                    read += request.Replacements.ContainsKey(spec.Name) ? 0 : spec.ByteCount;
                }
                else
                {
                    var thetas = models.Select(m => Read(m, spec)).ToList();
                    var baseTheta = method.NeedsBase ? Read(request.Base!, spec) : null;
                    read += spec.ByteCount * (thetas.Count + (baseTheta is null ? 0 : 1));
                    var outputType = spec.Dtype.ToScalarType();
                    var outputBuffer = pool.Rent(outputType, spec.ElementCount);
                    rented.Add((outputType, spec.ElementCount, outputBuffer));
                    var result = method.Merge(new MergeInput(spec.Name, thetas, baseTheta, outputBuffer.view([.. spec.Shape])));
                    modelWriter.Write(spec.Name, result.Merged, cancellationToken);
                    if (mapWriter is not null && result.Weights is not null)
                    {
                        var weights = result.Weights.to_type(ScalarType.Float32).contiguous();
                        mapWriter.Write(spec.Name, weights, cancellationToken);
                        compatibility.Add(TensorCompatibility.Of(spec.Name, [.. spec.Shape], weights));
                        written += weights.numel() * 4;
                    }
                }

                written += spec.ByteCount;
                rented.ForEach(r => pool.Return(r.Type, r.Count, r.Buffer));
                rented.Clear();
                request.Progress?.Invoke(++done, read, spec.Name);
            }
        }
        finally
        {
            // Buffers of a step that failed are not going back to the pool.
            rented.ForEach(r => r.Buffer.Dispose());
        }

        var digests = hashed ? everyInput.SelectMany(m => m.FileDigests(cancellationToken)).ToList() : [];
        var values = digests.Select((d, i) => (Key: DigestKey(i), d.Sha256)).ToDictionary(p => p.Key, p => p.Sha256, StringComparer.Ordinal);
        var summary = new CompatibilitySummary(method.Name, models.Select(m => m.Location).ToList(), compatibility);
        var summaryLocation = output.Resolve(output.SummaryFileName);
        mapWriter?.Commit(values, cancellationToken);
        using (var sink = CheckpointLocations.FromEnvironment().OpenWrite(summaryLocation))
        {
            sink.Write(summary.ToJson(), cancellationToken);
            sink.Commit(cancellationToken);
        }

        // The model last: a reader that finds it finds its map and summary too.
        modelWriter.Commit(values, cancellationToken);
        return new MergeResult(modelWriter.Location, mapWriter?.Location, summaryLocation, summary, digests, read, written);
    }
}
