using Cki.Compute.Merging;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public class GlobalOnlyMethodTests
{
    [Fact]
    public void Merge_ProfiledEntropies_UsedInsteadOfComputed()
    {
        using var a = tensor(new[] { 1f, 2f, 3f, 4f });
        using var b = tensor(new[] { 5f, 6f, 7f, 8f });
        // Entropies 1 and 0: g_A = 0.4/pi * atan(500) + 1/2 = 0.699745..., g_B = 1 - g_A; they sum to 1.
        var gA = (0.4 / Math.PI * Math.Atan(500)) + 0.5;
        var method = new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, 0.4, 500,
            new Dictionary<string, double[]> { ["w"] = [1.0, 0.0] });

        var output = method.Merge(new MergeInput("w", [a, b], null));

        var merged = output.Merged.data<float>().ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((gA * (i + 1)) + ((1 - gA) * (i + 5)), merged[i], 5);
        }

        Assert.Equal(gA, output.Weights!.data<float>()[0], 6);
    }

    [Fact]
    public void Merge_TensorNotProfiled_EntropiesComputed()
    {
        using var a = tensor(new[] { 1f, 2f, 3f, 4f });
        using var b = tensor(new[] { 5f, 6f, 7f, 8f });
        var profiled = new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, 0.4, 500, new Dictionary<string, double[]> { ["other"] = [1.0, 0.0] });
        var computed = new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, 0.4, 500);

        var left = profiled.Merge(new MergeInput("w", [a, b], null)).Merged.data<float>().ToArray();
        var right = computed.Merge(new MergeInput("w", [a, b], null)).Merged.data<float>().ToArray();

        Assert.Equal(right, left);
    }
}
