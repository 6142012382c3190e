using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class FamilyManifestParserValueTests
{
    private static ManifestException Fails(string text) =>
        Assert.Throws<ManifestException>(() => FamilyManifestParser.Parse(text, ManifestSamples.BlobName));

    [Theory]
    [InlineData("task: vision\nsources: [a, b]\n", "task", 1, 7, "expected one of none, synthetic, movielens")]
    [InlineData("task: synthetic\nsources: [a]\n", "sources", 2, 10, "at least 2 sources")]
    [InlineData("task: synthetic\nsources: a\n", "sources", 2, 10, "expected a list")]
    [InlineData("task: synthetic\nsources: [a, a]\n", "sources[1]", 2, 14, "listed twice")]
    [InlineData("task: synthetic\nsources: [a, B]\n", "sources[1]", 2, 14, "source name")]
    [InlineData("task: synthetic\nsources: [a, 'x/y']\n", "sources[1]", 2, 14, "source name")]
    [InlineData("task: synthetic\nsources: [a, '..']\n", "sources[1]", 2, 14, "source name")]
    [InlineData("task: synthetic\nsources: [a, -b]\n", "sources[1]", 2, 14, "source name")]
    [InlineData("task: synthetic\nsources:\n- a\n- \n", "sources[1]", 4, 2, "found an empty value")]
    public void Parse_InvalidTaskOrSources_NamesTheField(string text, string field, int line, int column, string what)
    {
        var error = Fails(text);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SourceNameOf63Characters_IsTheLongestAccepted()
    {
        var longest = "a" + new string('b', 62);
        Assert.Equal(longest, FamilyManifestParser.Parse($"task: none\nsources: [a, {longest}]\n", "x").Sources[1]);
        var error = Fails($"task: none\nsources: [a, {longest}c]\n");
        Assert.Equal("sources[1]", error.Field);
    }

    [Theory]
    [InlineData("merge: cki", "merge", 3, 8, "expected a mapping with keys method,")]
    [InlineData("merge:\n  method: fancy", "merge.method", 4, 11, "expected one of cki, local-only, global-only, average, prune-reference, prune-magnitude, task-arithmetic, ties, found the value 'fancy'")]
    [InlineData("merge:\n  splice: medium", "merge.splice", 4, 11, "expected one of soft, hard")]
    [InlineData("merge:\n  form: quadratic", "merge.form", 4, 9, "expected one of exp-softmax, linear")]
    [InlineData("merge:\n  tensors: some", "merge.tensors", 4, 12, "expected head, all or a list of glob patterns")]
    [InlineData("merge:\n  tensors: []", "merge.tensors", 4, 12, "found an empty list")]
    [InlineData("merge:\n  tensors: ['a', '']", "merge.tensors[1]", 4, 18, "expected a glob pattern")]
    [InlineData("merge:\n  histogram: open", "merge.histogram", 4, 14, "expected one of reference, closed")]
    [InlineData("merge:\n  a: 0", "merge.a", 4, 6, "expected a number in (0, 1], found the value '0'")]
    [InlineData("merge:\n  a: 1.5", "merge.a", 4, 6, "expected a number in (0, 1]")]
    [InlineData("merge:\n  a: '0.4'", "merge.a", 4, 6, "found the quoted string '0.4'")]
    [InlineData("merge:\n  c: 0", "merge.c", 4, 6, "expected a number > 0")]
    [InlineData("merge:\n  c: -500", "merge.c", 4, 6, "expected a number > 0")]
    [InlineData("merge:\n  allow_non_finite: yes", "merge.allow_non_finite", 4, 21, "expected true or false")]
    [InlineData("merge:\n  seed: -1", "merge.seed", 4, 9, "expected an integer >= 0")]
    [InlineData("merge:\n  seed: 1.5", "merge.seed", 4, 9, "expected an integer >= 0")]
    [InlineData("merge:\n  seed: 2147483648", "merge.seed", 4, 9, "expected an integer >= 0")]
    [InlineData("merge:\n  threshold: -0.1", "merge.threshold", 4, 14, "expected a number >= 0")]
    [InlineData("merge:\n  lambda: abc", "merge.lambda", 4, 11, "expected a number")]
    [InlineData("merge:\n  lambda: Infinity", "merge.lambda", 4, 11, "expected a number")]
    [InlineData("merge:\n  lambda: .inf", "merge.lambda", 4, 11, "expected a number")]
    [InlineData("merge:\n  density: 0", "merge.density", 4, 12, "expected a number in (0, 1]")]
    [InlineData("merge:\n  density: 1.01", "merge.density", 4, 12, "expected a number in (0, 1]")]
    [InlineData("evaluation:\n  metrics: [auc, f1]", "evaluation.metrics[1]", 4, 18, "expected one of auc, logloss, accuracy")]
    [InlineData("evaluation:\n  metrics: []", "evaluation.metrics", 4, 12, "expected at least 1")]
    [InlineData("evaluation:\n  metrics: [auc, auc]", "evaluation.metrics[1]", 4, 18, "listed twice")]
    [InlineData("evaluation:\n  baselines: [cki]", "evaluation.baselines[0]", 4, 15, "expected one of ensemble, global-only, average, prune-reference, prune-magnitude, task-arithmetic, ties")]
    [InlineData("evaluation:\n  baselines: [inputs]", "evaluation.baselines[0]", 4, 15, "expected one of ensemble,")]
    [InlineData("candidates:\n  learning_rates: [0.1, 0]", "candidates.learning_rates[1]", 4, 25, "expected a learning rate > 0")]
    [InlineData("candidates:\n  learning_rates: []", "candidates.learning_rates", 4, 19, "expected 1 to 16 learning rates, found 0")]
    [InlineData("candidates:\n  learning_rates: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "candidates.learning_rates", 4, 19, "expected 1 to 16 learning rates, found 17")]
    [InlineData("candidates:\n  epochs: 0", "candidates.epochs", 4, 11, "expected an integer from 1 to 1000")]
    [InlineData("candidates:\n  epochs: 1001", "candidates.epochs", 4, 11, "expected an integer from 1 to 1000")]
    [InlineData("candidates:\n  batch_size: 0", "candidates.batch_size", 4, 15, "expected an integer >= 1")]
    [InlineData("retrain_epochs: 101", "retrain_epochs", 3, 17, "expected an integer from 0 to 100")]
    [InlineData("retrain_epochs: -1", "retrain_epochs", 3, 17, "expected an integer from 0 to 100")]
    [InlineData("shards: 0", "shards", 3, 9, "expected an integer from 1 to 1024")]
    [InlineData("shards: 1025", "shards", 3, 9, "expected an integer from 1 to 1024")]
    [InlineData("schedule: weekly", "schedule", 3, 11, "expected one of nightly, manual")]
    [InlineData("data: [a]", "data", 3, 7, "expected a mapping from data set names to blob references")]
    [InlineData("data:\n  ratings:", "data.ratings", 4, 11, "found an empty value")]
    public void Parse_InvalidValue_NamesTheFieldAndWhatIsExpected(string fragment, string field, int line, int column, string what)
    {
        var error = Fails(ManifestSamples.Minimal + fragment + "\n");
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{ManifestSamples.BlobName}:{line}:{column}: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evaluation:\n  baselines: [prune-magnitude, ties]\nmerge:\n  a: 1\n  c: 1e-9\n  threshold: 0\n  density: 1\n  lambda: -2.5\n  seed: 2147483647\n  base: checkpoints/fam/base/v1/m.safetensors\n")]
    [InlineData("retrain_epochs: 100\nshards: 1\ncandidates:\n  epochs: 1000\n  batch_size: 1\n  learning_rates: [1e-300]\n")]
    public void Parse_ValuesAtTheEdgeOfTheirRange_AreAccepted(string fragment)
    {
        FamilyManifestParser.Parse(ManifestSamples.Minimal + fragment, "x");
    }
}
