using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class FamilyManifestParserTests
{
    private static FamilyManifest Parse(string text) => FamilyManifestParser.Parse(text, ManifestSamples.BlobName);

    private static ManifestException Fails(string text) => Assert.Throws<ManifestException>(() => Parse(text));

    [Fact]
    public void Parse_FullManifest_KeepsEveryValue()
    {
        var manifest = Parse(ManifestSamples.Full);

        Assert.Equal("movielens", manifest.Task);
        Assert.Equal(["early", "mid", "late-2024", "v1.b_2"], manifest.Sources);
        var merge = manifest.Merge;
        Assert.Equal(("ties", "hard", "exp-softmax", "closed"), (merge.Method, merge.Splice, merge.Form, merge.Histogram));
        Assert.Equal(TensorSelection.PatternsMode, merge.Tensors.Mode);
        Assert.Equal(["head.*.weight", "trunk.layer?.bias"], merge.Tensors.Patterns);
        Assert.Equal((0.25, 1000.0, true, 42), (merge.A, merge.C, merge.AllowNonFinite, merge.Seed));
        Assert.Equal("checkpoints/fam/base/v1/model.safetensors", merge.Base);
        Assert.Equal((0.5, -0.75, 1.0), (merge.Threshold, merge.Lambda, merge.Density));
        Assert.Equal(3, manifest.Data.Count);
        Assert.Equal("data/movielens/ratings.csv", manifest.Data["ratings"]);
        Assert.Equal("data/movielens/movies.csv", manifest.Data["movies"]);
        Assert.Equal("checkpoints/fam/notes.txt", manifest.Data["notes"]);
        Assert.Equal(["accuracy"], manifest.Evaluation.Metrics);
        Assert.Equal(["ties", "ensemble", "global-only", "prune-magnitude"], manifest.Evaluation.Baselines);
        Assert.Equal([0.0005, 0.02, 1.0], manifest.Candidates.LearningRates);
        Assert.Equal((3, 256), (manifest.Candidates.Epochs, manifest.Candidates.BatchSize));
        Assert.Equal((1, 1024, ScheduleMode.Manual), (manifest.RetrainEpochs, manifest.Shards, manifest.Schedule));
    }

    [Fact]
    public void Parse_OnlyRequiredKeys_GivesTheDocumentedDefaults()
    {
        var manifest = Parse(ManifestSamples.Minimal);

        Assert.Equal("synthetic", manifest.Task);
        Assert.Equal(["a", "b"], manifest.Sources);
        var merge = manifest.Merge;
        Assert.Equal(("cki", "soft", "exp-softmax", "reference"), (merge.Method, merge.Splice, merge.Form, merge.Histogram));
        Assert.Equal(TensorSelection.HeadMode, merge.Tensors.Mode);
        Assert.Empty(merge.Tensors.Patterns);
        Assert.Equal((0.4, 500.0, false, 0), (merge.A, merge.C, merge.AllowNonFinite, merge.Seed));
        Assert.Null(merge.Base);
        Assert.Equal((0.02, 1.0, 0.2), (merge.Threshold, merge.Lambda, merge.Density));
        Assert.Empty(manifest.Data);
        Assert.Equal(["auc", "logloss"], manifest.Evaluation.Metrics);
        Assert.Equal(["average", "ensemble"], manifest.Evaluation.Baselines);
        Assert.Equal([0.001, 0.01], manifest.Candidates.LearningRates);
        Assert.Equal((10, null), (manifest.Candidates.Epochs, manifest.Candidates.BatchSize));
        Assert.Equal((0, 16, ScheduleMode.Nightly), (manifest.RetrainEpochs, manifest.Shards, manifest.Schedule));
    }

    [Fact]
    public void Parse_TaskNoneWithoutMerge_DefaultsToDataFreeGlobalOnlyOverAllTensors()
    {
        var merge = Parse("task: none\nsources: [a, b]\n").Merge;
        Assert.Equal(("global-only", TensorSelection.AllMode), (merge.Method, merge.Tensors.Mode));
    }

    [Fact]
    public void Parse_PartialSections_KeepDefaultsOfAbsentKeys()
    {
        var manifest = Parse(ManifestSamples.Minimal + "merge:\n  a: 0.3\nevaluation:\n  baselines: []\ncandidates:\n  epochs: 2\n");
        Assert.Equal((0.3, 500.0, "cki"), (manifest.Merge.A, manifest.Merge.C, manifest.Merge.Method));
        Assert.Equal(["auc", "logloss"], manifest.Evaluation.Metrics);
        Assert.Empty(manifest.Evaluation.Baselines);
        Assert.Equal([0.001, 0.01], manifest.Candidates.LearningRates);
        Assert.Equal(2, manifest.Candidates.Epochs);
    }

    [Fact]
    public void Parse_TensorsAll_SelectsAllTensors()
    {
        Assert.Equal(TensorSelection.AllMode, Parse(ManifestSamples.Minimal + "merge:\n  tensors: all\n").Merge.Tensors.Mode);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_NamesTheKeyItsPositionAndTheAllowedKeys()
    {
        var error = Fails(ManifestSamples.Minimal + "shard: 3\n");
        Assert.Equal(("shard", 3, 1), (error.Field, error.Line, error.Column));
        Assert.Equal(
            "checkpoints/fam/cki.yaml:3:1: shard: unknown key 'shard'; allowed keys: task, sources, merge, data, evaluation, candidates, promotion, retrain_epochs, shards, schedule",
            error.Message);
    }

    [Fact]
    public void Parse_ParameterNoMethodInUseDeclares_IsRejectedUnlessItRestatesTheDefault()
    {
        var error = Fails(ManifestSamples.Minimal + "merge:\n  method: average\n  threshold: 0.5\n");
        Assert.Equal(("merge.threshold", 5, 3), (error.Field, error.Line, error.Column));
        Assert.EndsWith("'threshold' is not a parameter of method 'average' and would be ignored; its parameters: none; every method also takes: method, tensors, seed, allow_non_finite",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(0.02, Parse(ManifestSamples.Minimal + "merge:\n  method: average\n  threshold: 2e-2\n").Merge.Threshold);
        Assert.Equal(0.5, Parse(ManifestSamples.Minimal + "merge:\n  method: average\n  threshold: 0.5\nevaluation:\n  baselines: [prune-reference]\n").Merge.Threshold);
    }

    [Fact]
    public void Parse_UnknownMergeKey_NamesTheFileMethodKeyAndTheAllowedOnes()
    {
        var error = Fails(ManifestSamples.Minimal + "merge:\n  method: ties\n  base: checkpoints/fam/base.safetensors\n  densty: 0.3\n");
        Assert.Equal(("merge.densty", 6, 3), (error.Field, error.Line, error.Column));
        Assert.Equal(
            "checkpoints/fam/cki.yaml:6:3: merge.densty: unknown key 'densty', not a parameter of method 'ties' or of the baselines average; its parameters: base, lambda, density; " +
            "every method also takes: method, tensors, seed, allow_non_finite",
            error.Message);
    }

    [Theory]
    [InlineData("evaluation:\n  metric: [auc]\n", "evaluation.metric", "metrics, baselines")]
    [InlineData("candidates:\n  lr: [0.1]\n", "candidates.lr", "learning_rates, epochs, batch_size, train_trunk, bias, scale")]
    public void Parse_UnknownKeyInOtherSections_NamesItAndTheAllowedKeys(string fragment, string field, string allowed)
    {
        var error = Fails(ManifestSamples.Minimal + fragment);
        Assert.Equal((field, 4, 3), (error.Field, error.Line, error.Column));
        Assert.EndsWith($"allowed keys: {allowed}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sources: [a, b]\n", "task")]
    [InlineData("task: synthetic\n", "sources")]
    [InlineData("", "task")]
    public void Parse_RequiredKeyMissing_NamesIt(string text, string field)
    {
        var error = Fails(text);
        Assert.Equal((field, 1, 1), (error.Field, error.Line, error.Column));
        Assert.Contains($"required key '{field}' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DocumentThatIsNotAMapping_IsRejected()
    {
        var error = Fails("- task\n- sources\n");
        Assert.Equal(("(document)", 1, 1), (error.Field, error.Line, error.Column));
        Assert.Contains("expected a mapping with keys task, sources", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TabInTheIndentation_IsAManifestExceptionAtTheTab()
    {
        var error = Fails("task: synthetic\nsources:\n\t- a\n");
        Assert.Equal((3, 1), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_TextOver64KiB_IsRejected()
    {
        var padding = string.Concat(Enumerable.Repeat("# " + new string('x', 97) + "\n", 656));
        Assert.Equal(65_600, padding.Length);
        var error = Fails(ManifestSamples.Minimal + padding);
        Assert.Contains("expected at most 65536 (64 KiB)", error.Message, StringComparison.Ordinal);
    }
}
