using Cki.Compute.Merging;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public class BaselineMethodTests
{
    private static float[] Merge(IMergeMethod method, float[][] thetas, float[]? baseTheta = null)
    {
        var inputs = thetas.Select(t => tensor(t)).ToList();
        using var b = baseTheta is null ? null : tensor(baseTheta);
        var output = method.Merge(new MergeInput("w", inputs, b));
        var values = output.Merged.data<float>().ToArray();
        output.Merged.Dispose();
        output.Weights?.Dispose();
        inputs.ForEach(t => t.Dispose());
        return values;
    }

    [Fact]
    public void PruneReference_ZeroesEverythingNotAboveThresholdIncludingNegatives() =>
        Assert.Equal(new float[] { 0, 0, 0.03f, 0, 0.5f }, Merge(new PruneReferenceMethod(0.02), [[0.01f, -0.5f, 0.03f, 0.02f, 0.5f], [9, 9, 9, 9, 9]]));

    [Fact]
    public void PruneMagnitude_KeepsLargeMagnitudesOfEitherSign() =>
        Assert.Equal(new float[] { 0, -0.5f, 0.03f, 0, 0.5f }, Merge(new PruneMagnitudeMethod(0.02), [[0.01f, -0.5f, 0.03f, 0.02f, 0.5f], [9, 9, 9, 9, 9]]));

    [Fact]
    public void TaskArithmetic_AddsScaledSumOfTaskVectors()
    {
        // base 1; task vectors (2 - 1) and (4 - 1): 1 + 0.5 * (1 + 3) = 3
        Assert.Equal(new float[] { 3, 1 }, Merge(TaskVectorMethod.TaskArithmetic(0.5), [[2, 1], [4, 1]], [1, 1]));
    }

    [Fact]
    public void Ties_TrimsElectsSignAndAveragesAgreeingValues()
    {
        // Task vectors (base 0): t1 = [3, -1, 0.1, 2], t2 = [1, 2, -0.2, -4]. Density 0.5 keeps the two largest |.| of each:
        // t1 -> [3, 0, 0, 2], t2 -> [0, 2, 0, -4]. Signs of sums: [+, +, 0, -]. Agreeing means: [3, 2, 0, -4].
        Assert.Equal(new float[] { 3, 2, 0, -4 }, Merge(TaskVectorMethod.Ties(0.5, 1.0), [[3, -1, 0.1f, 2], [1, 2, -0.2f, -4]], [0, 0, 0, 0]));
    }

    [Fact]
    public void Average_ThreeModels_IsTheMean() =>
        Assert.Equal(new float[] { 2, 0 }, Merge(new AverageMethod(), [[1, 0], [2, -3], [3, 3]]));
}
