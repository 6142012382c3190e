using Cki.Compute.Merging;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

/// <summary>
/// Task arithmetic and TIES as the one task-vector method: the user-facing names stay, and four models merge as an
/// independent computation written here (sorting for the trim, a loop for the election) says.
/// </summary>
public class TaskVectorMethodTests
{
    private const int Models = 4;
    private const int Count = 3000;

    [Fact]
    public void Names_AreTheUserFacingMethodNames()
    {
        Assert.Equal(MergeMethods.TaskArithmetic.Name, TaskVectorMethod.TaskArithmetic(1).Name);
        Assert.Equal(MergeMethods.Ties.Name, TaskVectorMethod.Ties(0.2, 1).Name);
        Assert.True(TaskVectorMethod.Ties(0.2, 1).NeedsBase);
    }

    [Fact]
    public void Ties_FourModels_MatchesTrimElectAndDisjointMeanInFloat32()
    {
        const double Density = 0.3;
        const double Lambda = 0.8;
        var (thetas, baseValues) = Inputs();
        var keep = (int)Math.Ceiling(Density * Count);
        var trimmed = thetas.Select(theta =>
        {
            var tau = theta.Select((x, i) => x - baseValues[i]).ToArray();
            var sorted = tau.Select(MathF.Abs).Order().ToArray();
            var cutoff = sorted[Count - keep];
            return tau.Select(x => MathF.Abs(x) >= cutoff ? x : 0f).ToArray();
        }).ToArray();
        var expected = new float[Count];
        for (var i = 0; i < Count; i++)
        {
            var sum = 0f;
            foreach (var t in trimmed)
            {
                sum += t[i];
            }

            float kept = 0;
            var agreeing = 0;
            foreach (var t in trimmed)
            {
                if (t[i] != 0 && MathF.Sign(t[i]) == MathF.Sign(sum))
                {
                    kept += t[i];
                    agreeing++;
                }
            }

            expected[i] = baseValues[i] + (kept / Math.Max(1, agreeing) * (float)Lambda);
        }

        Assert.Equal(expected, Merge(TaskVectorMethod.Ties(Density, Lambda), thetas, baseValues));
    }

    [Fact]
    public void TaskArithmetic_FourModels_IsBasePlusScaledSumOfAllTaskVectors()
    {
        const double Lambda = 0.35;
        var (thetas, baseValues) = Inputs();
        var expected = baseValues.Select((b, i) =>
        {
            var sum = thetas[0][i] - b;
            for (var k = 1; k < Models; k++)
            {
                sum += thetas[k][i] - b;
            }

            return b + (sum * (float)Lambda);
        }).ToArray();

        Assert.Equal(expected, Merge(TaskVectorMethod.TaskArithmetic(Lambda), thetas, baseValues));
    }

    private static (float[][] Thetas, float[] Base) Inputs()
    {
        var random = new Random(24);
        var baseValues = Enumerable.Range(0, Count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var thetas = Enumerable.Range(0, Models).Select(_ => baseValues.Select(b => b + ((float)random.NextDouble() - 0.5f)).ToArray()).ToArray();
        return (thetas, baseValues);
    }

    private static float[] Merge(TaskVectorMethod method, float[][] thetas, float[] baseValues)
    {
        var inputs = thetas.Select(t => tensor(t)).ToList();
        using var b = tensor(baseValues);
        using var merged = method.Merge(new MergeInput("w", inputs, b)).Merged;
        inputs.ForEach(t => t.Dispose());
        return merged.data<float>().ToArray();
    }
}
