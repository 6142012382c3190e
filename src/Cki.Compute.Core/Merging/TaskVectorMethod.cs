using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Merging;

/// <summary>
/// Merging by task vectors against a base model, data-free: each model's task vector <c>tau_k = theta_k - base</c>,
/// optionally trimmed to its top <c>density</c> share of elements by magnitude, combined, and added to the base
/// scaled by <c>lambda</c>. Task arithmetic combines by the plain sum (density 1, no election); TIES (Yadav et al.
/// 2023) elects each element's sign by the sign of the trimmed vectors' sum and takes the mean of the values that
/// agree with it. One method with two settings, as mergekit has it.
/// </summary>
public sealed class TaskVectorMethod : IMergeMethod
{
    private readonly double _density;
    private readonly float _lambda;
    private readonly bool _electSign;

    private TaskVectorMethod(string name, double density, double lambda, bool electSign)
    {
        Name = name;
        _density = density;
        // The arithmetic is float32: the scale is too, as a float32 tensor times a double scalar is in libtorch.
        _lambda = (float)lambda;
        _electSign = electSign;
    }

    /// <summary>Task arithmetic: <c>base + lambda * sum_k (theta_k - base)</c>.</summary>
    public static TaskVectorMethod TaskArithmetic(double lambda) => new(MergeMethods.TaskArithmetic.Name, 1.0, lambda, electSign: false);

    /// <summary>TIES: trim each task vector to its top <paramref name="density"/>, elect signs, average the agreeing values.</summary>
    public static TaskVectorMethod Ties(double density, double lambda) => new(MergeMethods.Ties.Name, density, lambda, electSign: true);

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool NeedsBase => true;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var baseTheta = input.Base ?? throw new InvalidOperationException($"{input.TensorName}: method '{Name}' needs a base model.");
        var models = input.Thetas.Count;
        var n = baseTheta.numel();
        var keep = (long)Math.Ceiling(_density * n);
        // Each task vector keeps the elements at least as large as its keep-th largest magnitude (NaN keeps none),
        // found exactly by a radix select over chunks; at density 1 nothing is trimmed.
        var cuts = keep >= n ? null
            : (keep <= 0 ? Enumerable.Repeat(float.NaN, models).ToArray() : MagnitudeCutoff.Smallest(input.Thetas, baseTheta, n - keep + 1))
            .Select(c => new Vector<float>(c)).ToArray();
        var lambda = new Vector<float>(_lambda);
        var merged = Float32Chunks.Map([.. input.Thetas, baseTheta], input.Output, (chunks, length, result) =>
        {
            var b = Vectors(chunks[models], length);
            for (var k = 0; k < models; k++)
            {
                TaskVector(Vectors(chunks[k], length), b, cuts?[k]);
            }

            var combined = Vectors(result, length);
            if (_electSign)
            {
                // Scratch of this chunk's own (the halves of a large tensor run side by side), reused through the pool.
                var elected = ArrayPool<float>.Shared.Rent(length);
                var agreeing = ArrayPool<float>.Shared.Rent(length);
                ElectAndAverage(chunks, models, length, combined, Vectors(elected, length), Vectors(agreeing, length));
                ArrayPool<float>.Shared.Return(elected);
                ArrayPool<float>.Shared.Return(agreeing);
            }
            else
            {
                Sum(chunks, models, length, combined);
            }

            for (var v = 0; v < combined.Length; v++)
            {
                combined[v] = b[v] + (combined[v] * lambda);
            }
        });
        return new MergeOutput(merged, null);
    }

    /// <summary>theta - base in place, trimmed to the elements whose magnitude reaches <paramref name="cut"/> when given.</summary>
    private static void TaskVector(Span<Vector<float>> theta, ReadOnlySpan<Vector<float>> b, Vector<float>? cut)
    {
        for (var v = 0; v < theta.Length; v++)
        {
            var tau = theta[v] - b[v];
            theta[v] = cut is { } c ? Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(tau), c), tau, Vector<float>.Zero) : tau;
        }
    }

    /// <summary>The task vectors' sum, model A first.</summary>
    private static void Sum(float[][] tau, int models, int length, Span<Vector<float>> sum)
    {
        Vectors(tau[0], length).CopyTo(sum);
        for (var k = 1; k < models; k++)
        {
            var vector = Vectors(tau[k], length);
            for (var v = 0; v < sum.Length; v++)
            {
                sum[v] += vector[v];
            }
        }
    }

    /// <summary>
    /// Sign election and disjoint mean: each element's sign is its sum's; the values of that sign are averaged (their
    /// sum over their count, at least 1). A zero or NaN sum elects no sign, and then the element's mean is 0.
    /// </summary>
    private static void ElectAndAverage(float[][] tau, int models, int length, Span<Vector<float>> mean, Span<Vector<float>> sum, Span<Vector<float>> count)
    {
        Sum(tau, models, length, sum);
        mean.Clear();
        count.Clear();
        for (var k = 0; k < models; k++)
        {
            var vector = Vectors(tau[k], length);
            for (var v = 0; v < mean.Length; v++)
            {
                var positive = Vector.GreaterThan(vector[v], Vector<float>.Zero) & Vector.GreaterThan(sum[v], Vector<float>.Zero);
                var negative = Vector.LessThan(vector[v], Vector<float>.Zero) & Vector.LessThan(sum[v], Vector<float>.Zero);
                var agrees = positive | negative;
                mean[v] += Vector.ConditionalSelect(agrees, vector[v], Vector<float>.Zero);
                count[v] += Vector.ConditionalSelect(agrees, Vector<float>.One, Vector<float>.Zero);
            }
        }

        for (var v = 0; v < mean.Length; v++)
        {
            mean[v] /= Vector.Max(count[v], Vector<float>.One);
        }
    }

    private static Span<Vector<float>> Vectors(float[] values, int length) => MemoryMarshal.Cast<float, Vector<float>>(values.AsSpan(0, length));
}
