using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments.OneParent;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using Cki.Testing;
using M = Cki.Compute.Experiments.OneParent.OneParentMethods;

namespace Cki.Compute.Tests.Experiments;

public sealed class OneParentTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData(ChildSplitKind.TimeHalves, 2)]
    [InlineData(ChildSplitKind.UserGroups, 2)]
    [InlineData(ChildSplitKind.UserGroups, 4)]
    public void Of_RealTrainingSamples_EverySampleIsInExactlyOnePartAndNoPartIsEmpty(ChildSplitKind kind, int children)
    {
        var train = Dataset().Train;
        var parts = ChildSplits.Of(kind, train, children, seed: 3);

        Assert.Equal(children, parts.Count);
        Assert.All(train, s => Assert.Equal(1, parts.Count(p => p.Contains(s))));
        Assert.All(parts, p => Assert.True(train.Any(p.Contains), p.Name));
        Assert.Equal(parts.Count, parts.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void UserGroups_FourGroups_KeepEachUserInOneGroupAndBalanceUserCounts()
    {
        var train = Dataset().Train;
        var parts = ChildSplits.UserGroups(train, 4, seed: 0);
        var usersPerPart = parts.Select(p => train.Where(p.Contains).Select(s => s.User).Distinct().ToList()).ToList();

        // A user's samples never straddle two children, and the groups differ in size by at most one user.
        Assert.Equal(train.Select(s => s.User).Distinct().Count(), usersPerPart.Sum(u => u.Count));
        Assert.InRange(usersPerPart.Max(u => u.Count) - usersPerPart.Min(u => u.Count), 0, 1);

        // Another seed deals the users differently; the same seed deals them the same way.
        var again = ChildSplits.UserGroups(train, 4, seed: 0);
        var other = ChildSplits.UserGroups(train, 4, seed: 1);
        Assert.All(train, s => Assert.Equal(parts[0].Contains(s), again[0].Contains(s)));
        Assert.Contains(train, s => parts[0].Contains(s) != other[0].Contains(s));
    }

    [Fact]
    public void TimeHalves_CutAtTheMedian_EarlyHalfIsOlderThanLateHalf()
    {
        var train = Dataset().Train;
        var parts = ChildSplits.TimeHalves(train);

        Assert.True(train.Where(parts[0].Contains).Max(s => s.Timestamp) < train.Where(parts[1].Contains).Min(s => s.Timestamp));
        Assert.InRange(train.Count(parts[0].Contains), (train.Count / 2) - 200, train.Count / 2);
        Assert.Throws<ArgumentException>(() => ChildSplits.Of(ChildSplitKind.TimeHalves, train, 4, 0));
    }

    [Fact]
    public void FineTuneChildren_FromAParent_StartFromItsWeightsAndLearnOnlyFromTheirOwnUsers()
    {
        using var task = new DinTask(Dataset());
        var start = TaskTrainer.Initialize(task.Layout, 0, DinTask.Embeddings);
        var parent = TaskTrainer.Train(task, start, 1, 1e-3, task.BatchSize, 0);
        var parts = ChildSplits.UserGroups(task.Data.Train, 2, seed: 0);
        var children = OneParentExperiment.FineTuneChildren(task, parent, parts, epochs: 1, learningRate: 1e-3, seed: 0);

        // A child's user-embedding rows of the other group's users get no gradient, so they stay exactly the parent's;
        // a child started from fresh weights (or from another model) would differ there. Its own users' rows move.
        var users = task.Data.Train.Select(s => s.User).Distinct().ToList();
        for (var k = 0; k < 2; k++)
        {
            var own = users.Where(u => parts[k].Contains(task.Data.Train.First(s => s.User == u))).ToList();
            foreach (var user in users)
            {
                var same = parent["user.embedding"][user].eq(children[k]["user.embedding"][user]).all().item<bool>();
                Assert.Equal(!own.Contains(user), same);
            }

            Assert.NotEqual(parent["head.0.weight"].data<float>().ToArray(), children[k]["head.0.weight"].data<float>().ToArray());
        }

        foreach (var set in children.Append(parent).Append(start))
        {
            foreach (var t in set.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    [Trait("Category", "Slow")] // a whole experiment run: 20 s and more
    public void Run_SmallConfiguration_ReportsEveryIntegrationAndControlPerSplit()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        var options = OneParentOptions.Quick with
        {
            Seeds = 2, MaxUsers = 40, Splits = [new(ChildSplitKind.TimeHalves, 2), new(ChildSplitKind.UserGroups, 4)],
        };
        var (runs, figures) = OneParentExperiment.Run(data, options);

        string[] merges =
        [
            M.Ensemble(4), M.Averaging, M.GlobalOnly, M.TaskArithmetic, M.Ties, M.AveragingAll, M.GlobalOnlyAll, M.TaskArithmeticAll, M.TiesAll,
            M.CkiSoft, M.RetrainCki, M.CkiHard, M.LocalOnly, M.RetrainAveraging, M.MoreBestChild, M.ParentControl(1), M.ParentControl(2),
        ];
        foreach (var seed in new[] { 0, 1 })
        {
            var four = runs.Where(r => r.Setting == "one parent: user groups (K = 4)" && r.Seed == seed).Select(r => r.Method).ToList();
            Assert.Equal([M.Parent, M.Child(1, "users 1/4"), M.Child(2, "users 2/4"), M.Child(3, "users 3/4"), M.Child(4, "users 4/4"), M.BestChild, .. merges], four);

            // The linear form is defined for two models only: it has rows with K = 2 and none with K = 4.
            var halves = runs.Where(r => r.Setting == "one parent: time halves (K = 2)" && r.Seed == seed).Select(r => r.Method).ToList();
            Assert.Contains(M.CkiLinearSoft, halves);
            Assert.Contains(M.CkiLinearHard, halves);
            Assert.DoesNotContain(M.CkiLinearSoft, four);

            // The parent and its controls are the same models in every split of a seed.
            var parentAuc = runs.Where(r => r.Seed == seed && r.Method == M.Parent).Select(r => r.Test["AUC"]).Distinct();
            Assert.Single(parentAuc);
        }

        Assert.All(runs.Where(r => r.Method is M.TaskArithmetic or M.TiesAll), r => Assert.StartsWith("lambda ", r.Choice, StringComparison.Ordinal));
        var markdown = OneParentReport.Write(_scratch.File("out"), runs, figures, options);
        Assert.Contains("## One parent: user groups (K = 4)", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {M.RetrainCki} - {M.MoreBestChild} | ", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(_scratch.File("out/results.json")));
        Assert.True(File.Exists(_scratch.File("out/forest-one-parent-user-groups-K-4-honest.png")));
    }

    private CtrDataset Dataset()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        var kept = data.Ratings.Select(r => r.UserId).Distinct().Order().Take(40).ToHashSet();
        return CtrDataset.Build(data with { Ratings = data.Ratings.Where(r => kept.Contains(r.UserId)).ToList() }, new CtrOptions());
    }
}
