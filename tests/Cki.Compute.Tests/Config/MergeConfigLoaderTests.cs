using Cki.Compute.Config;
using Cki.Compute.Method;

namespace Cki.Compute.Tests.Config;

public class MergeConfigLoaderTests
{
    private static MergeConfig Parse(string yaml) => MergeConfigLoader.Parse(yaml, "merge.yaml", "/work/models");

    private static ConfigException Fails(string yaml) => Assert.Throws<ConfigException>(() => Parse(yaml));

    [Fact]
    public void Parse_IssueExample_GivesTheStatedOptionsAndAnchorsPaths()
    {
        var config = Parse("""
            models: [a.safetensors, b.safetensors]   # the first is model A
            method: global-only
            splice: soft
            form: exp-softmax
            tensors: all
            histogram: reference
            output: merged.safetensors
            """);
        Assert.Equal(["/work/models/a.safetensors", "/work/models/b.safetensors"], config.Models);
        Assert.Equal(("global-only", SpliceMode.Soft, CompatibilityForm.ExpSoftmax, "all", HistogramMode.Reference),
            (config.Method, config.Splice, config.Form, config.Tensors.Mode, config.Histogram));
        Assert.Equal("/work/models/merged.safetensors", config.Output);
    }

    [Fact]
    public void Parse_UnknownKey_NamesLineAndKey()
    {
        var error = Fails("models: [a, b]\nmethd: average\n");
        Assert.Contains("merge.yaml:2:1: methd is not a known key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneModel_IsAnError() =>
        Assert.Contains("at least 2", Fails("models: [a]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_LinearWithThreeModels_IsAnError() =>
        Assert.Contains("two models only", Fails("models: [a, b, c]\nform: linear\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_LearnedMethodWithoutTask_IsAnError() =>
        Assert.Contains("needs a 'task:' section", Fails("models: [a, b]\nmethod: cki\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_TiesWithoutBase_IsAnError() =>
        Assert.Contains("needs 'base:'", Fails("models: [a, b]\nmethod: ties\n").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("models: [a, b]\nmethod: slerp\n", "method 'slerp' is not one of")]
    [InlineData("models: [a, b]\nsplice: medium\n", "splice must be one of soft, hard")]
    [InlineData("models: [a, b]\ntensors: 3\n", "tensors must be")]
    [InlineData("models: [a, b]\nmethod: cki\ntask: {name: synthetic, epochs: 0}\n", "task.epochs must be an integer of at least 1")]
    [InlineData("models: [a, b]\nmethod: cki\ntask: {name: synthetic, speed: 3}\n", "task.speed is not a known key")]
    [InlineData("models: [a, b]\nmodels: [c, d]\n", "not valid YAML")]
    [InlineData("models: [a, b\n", "not valid YAML")]
    [InlineData("- a\n- b\n", "expected one YAML mapping")]
    public void Parse_InvalidValue_SaysWhatWasExpected(string yaml, string expected) =>
        Assert.Contains(expected, Fails(yaml).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_TaskSection_ReadsSweepAndOptions()
    {
        var config = Parse("models: [a, b]\nmethod: cki\ntensors: head\ntask:\n  name: synthetic\n  learning_rates: [0.001, 0.01]\n  epochs: 3\n  train_trunk: true\nmax_shard_size: 2GB\n");
        Assert.Equal("synthetic", config.Task!.Name);
        Assert.Equal([0.001, 0.01], config.Task.LearningRates);
        Assert.Equal(3, config.Task.Epochs);
        Assert.True(config.Task.TrainTrunk);
        Assert.Equal(2L << 30, config.MaxShardBytes);
        Assert.Equal("head", config.Tensors.Mode);
    }
}
