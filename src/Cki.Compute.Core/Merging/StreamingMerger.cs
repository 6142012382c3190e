using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cki.Compute.Checkpoints;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
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
/// and one output whatever the model's size. The steps overlap: the K inputs are read side by side, the next
/// step's inputs are read ahead while this one merges (as far as <see cref="ReadAheadBytes"/> allows), and the
/// output is written behind while the next step reads. The inputs' SHA-256 are computed as they are read and
/// patched into the outputs' headers at the end; nothing is visible under the output names before the commit.
/// </summary>
public static class StreamingMerger
{
    /// <summary>The metadata key of input file <paramref name="index"/>'s SHA-256.</summary>
    public static string DigestKey(int index) => $"cki.input.{index}.sha256";

    /// <summary>The <c>__metadata__</c> key Hugging Face transformers checks before it loads a safetensors file.</summary>
    public const string FormatKey = "format";

    /// <summary>The value of <see cref="FormatKey"/> for PyTorch tensors, written into every output.</summary>
    public const string PyTorchFormat = "pt";

    /// <summary>
    /// Memory for reading the next step's inputs while this one merges and is written: inputs are read ahead one
    /// by one as far as this many bytes of buffers allow, within the headroom of (K + 1) x largest + 300 MB.
    /// </summary>
    internal const long ReadAheadBytes = 192L << 20;

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
        var layout = request.Include is null ? models[0].Tensors : models[0].Tensors.Where(s => request.Include(s.Name)).ToList();
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
        // transformers refuses a file without format: pt; the map holds PyTorch tensors too and carries it as well.
        var metadata = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        metadata.TryAdd(FormatKey, PyTorchFormat);
        using var modelWriter = ShardedCheckpointWriter.Create(output.Folder, layout, output.Sharded ? request.MaxShardBytes : long.MaxValue,
            metadata, request.Locations, deferred, output.ModelFileName);
        using var mapWriter = mapLayout is null ? null : ShardedCheckpointWriter.Create(output.Folder, mapLayout, long.MaxValue,
            metadata, request.Locations, deferred, output.MapFileName);
        var largest = layout.Select(s => s.ByteCount).DefaultIfEmpty(0).Max();
        var readers = models.Count + (method.NeedsBase ? 1 : 0);
        // The pool keeps what one step and its read-ahead use: K inputs, one output, the inputs read ahead.
        using var pool = new TensorPool(((readers + 1) * largest) + request.ReadAheadBytes);
        var writes = new WriteBehind(modelWriter, cancellationToken);
        var compatibility = new List<TensorCompatibility>();
        long read = 0, written = 0;
        StepReads? current = null, next = null;
        Tensor? unwritten = null;
        // libtorch's OpenMP workers spin-wait at the end of every op: on a busy machine one descheduled worker stalls
        // each of the thousands of chunk-sized ops (a 2 x 1 GB BF16 average took 6.6 s wall against 1.9 s with one
        // thread, at load average 5 on 2 cores). Reads, merge and writes already overlap on their own tasks, so the
        // ops of this thread run on one intra-op thread.
        var intraOpThreads = get_num_threads();
        set_num_threads(1);
        try
        {
            for (var i = 0; i < layout.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spec = layout[i];
                current = next ?? Step(spec);
                next = null;
                current.Wait(pool);
                if (i + 1 < layout.Count)
                {
                    next = Step(layout[i + 1]);
                    next.StartUpTo((int)Math.Min(next.Count, request.ReadAheadBytes / Math.Max(1, next.BufferBytes)), pool);
                }

                using var scope = NewDisposeScope();
                var inputs = current.Tensors();
                read += spec.ByteCount * inputs.Count;
                // This step's output takes the buffer of the previous step's, once that one is on its way to the file.
                writes.Finish(pool);
                var buffer = unwritten = pool.Rent(spec.Dtype.ToScalarType(), spec.ElementCount);
                var shaped = buffer.view([.. spec.Shape]);
                if (!merged.Contains(spec.Name))
                {
                    shaped.copy_(inputs.Count == 0 ? request.Replacements[spec.Name] : inputs[0]);
                }
                else
                {
                    var thetas = inputs.Take(models.Count).ToList();
                    var baseTheta = method.NeedsBase ? inputs[^1] : null;
                    var result = method.Merge(new MergeInput(spec.Name, thetas, baseTheta, shaped));
                    if (!SharesMemory(result.Merged, buffer))
                    {
                        shaped.copy_(result.Merged);
                    }

                    if (mapWriter is not null && result.Weights is not null)
                    {
                        var weights = result.Weights.to_type(ScalarType.Float32).contiguous();
                        mapWriter.Write(spec.Name, weights, cancellationToken);
                        compatibility.Add(TensorCompatibility.Of(spec.Name, [.. spec.Shape], weights));
                        written += weights.numel() * 4;
                    }
                }

                writes.Start(spec, buffer);
                unwritten = null;
                written += spec.ByteCount;
                current.ReturnTo(pool);
                current = null;
                request.Progress?.Invoke(i + 1, read, spec.Name);
            }

            writes.Finish(pool);
        }
        finally
        {
            set_num_threads(intraOpThreads);
            // Buffers of a step that failed (or was being read ahead, merged or written) are not going back to the pool.
            current?.Abandon();
            next?.Abandon();
            writes.Abandon();
            unwritten?.Dispose();
        }

        StepReads Step(TensorSpec spec) => new(spec, Sources(spec), request.AllowNonFinite, cancellationToken);

        IReadOnlyList<Checkpoint> Sources(TensorSpec spec) =>
            merged.Contains(spec.Name) ? [.. models, .. method.NeedsBase ? [request.Base!] : Array.Empty<Checkpoint>()]
            : request.Replacements.ContainsKey(spec.Name) ? [] : [models[0]];

        var digests = hashed ? everyInput.SelectMany(m => m.FileDigests(cancellationToken)).ToList() : [];
        var values = digests.Select((d, i) => (Key: DigestKey(i), d.Sha256)).ToDictionary(p => p.Key, p => p.Sha256, StringComparer.Ordinal);
        var summary = new CompatibilitySummary(method.Name, request.InputNames ?? models.Select(m => m.Location).ToList(), compatibility);
        var summaryLocation = output.Resolve(output.SummaryFileName);
        mapWriter?.Commit(values, cancellationToken);
        using (var sink = request.Locations.OpenWrite(summaryLocation))
        {
            sink.Write(JobJson.Serialize(summary), cancellationToken);
            sink.Commit(cancellationToken);
        }

        // The model last: a reader that finds it finds its map and summary too.
        modelWriter.Commit(values, cancellationToken);
        return new MergeResult(modelWriter.Location, mapWriter?.Location, summaryLocation, summary, digests, read, written);
    }

    /// <summary>Whether <paramref name="merged"/> is <paramref name="buffer"/>'s memory (the method wrote into the buffer it was given).</summary>
    private static bool SharesMemory(Tensor merged, Tensor buffer) =>
        merged.device_type == TorchSharp.DeviceType.CPU && merged.is_contiguous() && merged.dtype == buffer.dtype && merged.numel() == buffer.numel()
        && Unsafe.AreSame(ref MemoryMarshal.GetReference(merged.bytes), ref MemoryMarshal.GetReference(buffer.bytes));
}
