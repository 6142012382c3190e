using Cki.Compute.Config;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;
using Cki.Testing.Builders;

namespace Cki.Compute.Tests.Config;

public class MergeConfigLoaderTests
{
    private static MergeConfig Parse(string yaml) => MergeConfigLoader.Parse(yaml, "merge.yaml", "/work/models");

    private static ManifestException Fails(string yaml) => Assert.Throws<ManifestException>(() => Parse(yaml));

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
            (config.Method, config.Splice, config.Form, config.Merge.Tensors.Mode, config.Histogram));
        Assert.Equal("/work/models/merged.safetensors", config.Output);
    }

    [Fact]
    public void Parse_UnknownKey_NamesLineAndKey()
    {
        var error = Fails("models: [a, b]\nmethd: average\n");
        Assert.Equal(
            "merge.yaml:2:1: methd: unknown key 'methd', not a parameter of method 'global-only'; its parameters: splice, histogram, a, c; " +
            "every method also takes: method, tensors, seed, allow_non_finite; the file's own keys: models, output, max_shard_size, hash_inputs, task",
            error.Message);
    }

    [Fact]
    public void Parse_OneModel_IsAnError() =>
        Assert.Contains("at least 2", Fails("models: [a]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_LinearWithThreeModels_IsAnError() =>
        Assert.Contains("two models only", Fails("models: [a, b, c]\nmethod: cki\ntask: {name: synthetic}\nform: linear\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_LearnedMethodWithoutTask_IsAnError() =>
        Assert.Contains("merge.yaml:2:9: method: 'cki' learns the local assessment and needs a task with data, but there is no 'task:' section",
            Fails("models: [a, b]\nmethod: cki\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_TiesWithoutBase_IsAnError() =>
        Assert.Contains("merge.yaml:2:9: base: method 'ties' needs a base model", Fails("models: [a, b]\nmethod: ties\n").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("models: [a, b]\nmethod: slerp\n", "merge.yaml:2:9: method: expected one of cki, local-only, global-only,")]
    [InlineData("models: [a, b]\nsplice: medium\n", "merge.yaml:2:9: splice: expected one of soft, hard, found the value 'medium'")]
    [InlineData("models: [a, b]\ntensors: 3\n", "merge.yaml:2:10: tensors: expected head, all or a list of glob patterns")]
    [InlineData("models: [a, b]\nmethod: cki\ntask: {name: synthetic, epochs: 0}\n", "merge.yaml:3:33: task.epochs: expected an integer from 1 to 1000, found the value '0'")]
    [InlineData("models: [a, b]\nmethod: cki\ntask: {name: synthetic, speed: 3}\n", "merge.yaml:3:25: task.speed: unknown key 'speed'")]
    [InlineData("models: [a, b]\nmodels: [c, d]\n", "merge.yaml:2:1: models: key 'models' appears twice")]
    [InlineData("models: [a, b\n", "merge.yaml:1:9: (document): not valid YAML: this '[' is never closed")]
    [InlineData("- a\n- b\n", "merge.yaml:1:1: (document): expected a mapping with keys models,")]
    [InlineData("models: [a, b]\nthreshold: -1\nmethod: prune-magnitude\n", "merge.yaml:2:12: threshold: expected a number >= 0, found the value '-1'")]
    [InlineData("models: [a, b]\nmethod: average\ndensity: 0.5\n", "merge.yaml:3:1: density: 'density' is not a parameter of method 'average' and would be ignored; its parameters: none; every method also takes")]
    [InlineData("models: [a, b]\nmethod: average\ndensity: 0.2\nthreshold: 0.1\n", "merge.yaml:4:1: threshold: 'threshold' is not a parameter")]
    [InlineData("models: [a, b]\nmethod: ties\nbase: c\nthreshold: 0.1\n", "merge.yaml:4:1: threshold: 'threshold' is not a parameter of method 'ties' and would be ignored; its parameters: base, lambda, density;")]
    public void Parse_InvalidValue_SaysWhatWasExpected(string yaml, string expected) =>
        Assert.Contains(expected, Fails(yaml).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_TaskSection_ReadsSweepAndOptions()
    {
        var config = Parse("models: [a, b]\nmethod: cki\ntensors: head\ntask:\n  name: synthetic\n  learning_rates: [0.001, 0.01]\n  epochs: 3\n  train_trunk: true\nmax_shard_size: 2GB\n");
        Assert.Equal("synthetic", config.Task);
        Assert.Equal([0.001, 0.01], config.Candidates.LearningRates);
        Assert.Equal(3, config.Candidates.Epochs);
        Assert.True(config.Candidates.TrainTrunk);
        Assert.Equal(2L << 30, config.MaxShardBytes);
        Assert.Equal("head", config.Merge.Tensors.Mode);
    }

    [Fact]
    public void Parse_Defaults_FollowTheSameRuleAsAFamilyManifest()
    {
        // With a task: cki over the head, as a manifest with a task; without one: global-only over all tensors, as task 'none'.
        var withTask = Parse("models: [a, b]\ntask: {name: synthetic}\n");
        Assert.Equal(("cki", "head"), (withTask.Method, withTask.Merge.Tensors.Mode));
        var withoutTask = Parse("models: [a, b]\n");
        Assert.Equal(("global-only", "all"), (withoutTask.Method, withoutTask.Merge.Tensors.Mode));
        var manifest = FamilyManifestParser.Parse(FamilyManifestBuilder.DataFree("a", "b").Build(), "f/cki.yaml");
        Assert.Equal(manifest.Merge with { Method = "x" }, withoutTask.Merge with { Method = "x" });
    }

    [Fact]
    public void Parse_MissingModelOrBase_NamesTheEntry()
    {
        static bool Exists(string path) => path.EndsWith("/a", StringComparison.Ordinal);
        var model = Assert.Throws<ManifestException>(() => MergeConfigLoader.Parse("models:\n  - a\n  - b\n", "merge.yaml", "/w", Exists));
        Assert.Equal("merge.yaml:3:5: models[1]: b: no such file or folder", model.Message);
        var baseModel = Assert.Throws<ManifestException>(() => MergeConfigLoader.Parse("models: [a, a]\nmethod: ties\nbase: c\n", "merge.yaml", "/w", Exists));
        Assert.Equal("merge.yaml:3:7: base: c: no such file or folder", baseModel.Message);
    }
}
