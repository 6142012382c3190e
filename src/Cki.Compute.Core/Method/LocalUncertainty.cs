using Cki.Compute.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The learnable local parameter uncertainty of one spliced tensor (docs/method.md: local uncertainty). Two models:
/// <c>w_l = sigmoid(s |theta_A - theta_B| P^T + b)</c> with one square P over the weight's input dimension, and
/// model B's local value is <c>1 - w_l</c>. K models (our extension): <c>l_k = sigmoid(s |theta_k - mean_{j != k}
/// theta_j| P_k^T + b_k)</c>, one P_k per model. P starts Xavier-uniform (drawn on the CPU, so a seed gives the same
/// start on every device), b at zero; both then live on the device given.
/// </summary>
public sealed class LocalUncertainty : IDisposable
{
    private readonly long[] _shape;
    private readonly long _inputs;
    private readonly double _scale;
    private readonly List<Parameter> _projections = [];
    private readonly List<Parameter> _biases = [];
    private readonly List<Tensor> _initial = [];

    /// <summary>Creates the term for a tensor of <paramref name="shape"/> merged from <paramref name="models"/> models, on <paramref name="device"/> (the CPU when null).</summary>
    public LocalUncertainty(long[] shape, int models, bool bias, double scale, Generator generator, Device? device = null)
    {
        device ??= CPU;
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 2);
        _shape = shape;
        _inputs = shape.Length == 0 ? 1 : shape[^1];
        _scale = scale;
        var count = models == 2 ? 1 : models;
        for (var k = 0; k < count; k++)
        {
            using var drawn = Xavier.Uniform(_inputs, _inputs, generator);
            var p = drawn.to(device);
            _initial.Add(p.clone());
            _projections.Add(new Parameter(p, requires_grad: true));
            if (bias)
            {
                _biases.Add(new Parameter(zeros(_inputs, device: device), requires_grad: true));
            }
        }
    }

    /// <summary>The learnable tensors (P, and b when on).</summary>
    public IEnumerable<Parameter> Parameters => _projections.Concat(_biases);

    /// <summary>How far P has moved from its initial value (Frobenius norm, summed over models).</summary>
    public double Change()
    {
        using var noGrad = no_grad();
        return _projections.Zip(_initial).Sum(pair => pair.First.sub(pair.Second).norm().item<float>());
    }

    /// <summary>The local values l_k, <c>[K, ...shape]</c>, with gradients to P and b.</summary>
    public Tensor Local(IReadOnlyList<Tensor> thetas)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        using var scope = NewDisposeScope();
        var rows = thetas.Select(t => t.reshape(-1, _inputs)).ToList();
        Tensor result;
        if (thetas.Count == 2)
        {
            var wl = Project(rows[0].sub(rows[1]).abs(), 0);
            result = stack([wl, wl.neg().add(1)]);
        }
        else
        {
            var sum = stack(rows).sum(0L);
            result = stack(rows.Select((row, k) => Project(row.sub(sum.sub(row).div(thetas.Count - 1)).abs(), k)).ToArray());
        }

        return result.reshape([thetas.Count, .. _shape]).MoveToOuterDisposeScope();
    }

    private Tensor Project(Tensor distance, int k)
    {
        var z = nn.functional.linear(distance.mul(_scale), _projections[k], _biases.Count > 0 ? _biases[k] : null);
        return z.sigmoid();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _projections.ForEach(p => p.Dispose());
        _biases.ForEach(b => b.Dispose());
        _initial.ForEach(t => t.Dispose());
    }
}
