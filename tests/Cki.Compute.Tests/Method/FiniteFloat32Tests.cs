using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Method;

public class FiniteFloat32Tests
{
    [Fact]
    public void Range_NonFiniteInVectorsAndTail_IsTheFiniteMinAndMax()
    {
        // Longer than one chunk, so a chunk boundary and a tail are crossed.
        var values = Enumerable.Range(0, Float32Chunks.ChunkElements + 13).Select(i => MathF.Sin(i) * 3).ToArray();
        values[5] = float.NaN;
        values[100] = float.PositiveInfinity;
        values[^2] = float.NegativeInfinity;
        values[Float32Chunks.ChunkElements + 3] = -7.5f;
        values[^1] = 9.25f;
        using var flat = tensor(values);

        var (min, max, allFinite) = FiniteFloat32.Range(flat);

        var finite = values.Where(float.IsFinite).ToArray();
        Assert.Equal(-7.5, min);
        Assert.Equal(9.25, max);
        Assert.Equal(finite.Min(), min);
        Assert.False(allFinite);
    }

    [Fact]
    public void Range_NothingFinite_IsNaN()
    {
        using var flat = tensor(new[] { float.NaN, float.PositiveInfinity });

        var (min, max, allFinite) = FiniteFloat32.Range(flat);

        Assert.True(double.IsNaN(min) && double.IsNaN(max));
        Assert.False(allFinite);
    }

    [Fact]
    public void Finite_WithNonFinite_KeepsFiniteValuesInOrder()
    {
        var values = new[] { 1f, float.NaN, -2f, float.NegativeInfinity, 3f };

        Assert.Equal(new[] { 1f, -2f, 3f }, FiniteFloat32.Finite(values, allFinite: false).ToArray());
    }
}
