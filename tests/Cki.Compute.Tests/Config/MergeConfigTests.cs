using Cki.Compute.Config;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Tests.Config;

public sealed class MergeConfigTests
{
    [Fact]
    public void New_FromASpec_KeepsEveryFieldOfIt()
    {
        var spec = new MergeSpec
        {
            Models = ["/m/a.safetensors", "/m/b.safetensors"], Output = "/o", MaxShardBytes = 1 << 20, HashInputs = false, Task = "synthetic",
            Merge = new MergeOptions { Method = "local-only", Seed = 7 }, Candidates = new CandidateOptions { Epochs = 3 },
        };

        var config = new MergeConfig(spec) { ConfigFolder = "/m" };

        Assert.Equal(spec, new MergeSpec { Models = config.Models } with
        {
            Output = config.Output, MaxShardBytes = config.MaxShardBytes, HashInputs = config.HashInputs, Task = config.Task,
            Merge = config.Merge, Candidates = config.Candidates,
        });
        Assert.Equal("/m", config.ConfigFolder);
    }

    [Fact]
    public void Assessment_TakesTheCandidatesAndGlobalTermFromTheSpec()
    {
        var config = new MergeConfig
        {
            Models = ["a", "b"],
            Merge = new MergeOptions { Method = "local-only", Seed = 7, A = 0.5, C = 20, Histogram = "closed" },
            Candidates = new CandidateOptions { Epochs = 3, Scale = 2, BatchSize = 16, Bias = true, TrainTrunk = true },
        };

        var options = config.Assessment();

        Assert.Equal((CompatibilityForm.LocalOnly, 3, 16, true, 2.0, true, 7), (options.Form, options.Epochs, options.BatchSize, options.Bias, options.Scale, options.TrainTrunk, options.Seed));
        Assert.Equal((HistogramMode.Closed, 0.5, 20.0), (options.Histogram, options.Amplitude, options.Steepness));
    }

    [Fact]
    public void AssessmentOptions_DefaultsAreThoseOfTheOptionsFiles()
    {
        var options = new AssessmentOptions();
        var candidates = new CandidateOptions();
        Assert.Equal((candidates.LearningRates[0], candidates.Epochs, candidates.Scale), (options.LearningRate, options.Epochs, options.Scale));
        Assert.Equal((0.4, 500.0), (options.Amplitude, options.Steepness));
    }
}
