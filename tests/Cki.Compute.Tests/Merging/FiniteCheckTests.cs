using Cki.Compute.Merging;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public sealed class FiniteCheckTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void AllFinite_EveryPositionAndKind_AgreesWithTorchIsFinite(ScalarType type)
    {
        // 131 elements: whole vectors and a tail, whatever the vector width.
        var extremes = new[] { 0.0, -0.0, 1e-40, -3.5, 60000.0 };
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0 })
        {
            foreach (var at in new[] { 0, 7, 64, 129, 130 })
            {
                var values = Enumerable.Range(0, 131).Select(i => extremes[i % extremes.Length]).ToArray();
                values[at] = bad;
                using var scope = NewDisposeScope();
                var t = tensor(values).to_type(type);
                Assert.Equal(t.isfinite().all().item<bool>(), FiniteCheck.AllFinite(t));
                Assert.Equal(double.IsFinite(bad), FiniteCheck.AllFinite(t));
            }
        }
    }

    [Fact]
    public void AllFinite_NonContiguousView_ChecksOnlyItsElements()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, float.NaN, 2, float.NaN, 3, float.NaN });
        Assert.True(FiniteCheck.AllFinite(t.slice(0, 0, 6, 2)));
        Assert.False(FiniteCheck.AllFinite(t.slice(0, 1, 6, 2)));
    }
}
