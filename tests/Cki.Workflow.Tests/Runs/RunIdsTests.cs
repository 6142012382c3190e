using Cki.Testing;
using Cki.Workflow.Runs;

namespace Cki.Workflow.Tests.Runs;

public class RunIdsTests
{
    [Fact]
    public void ForInputs_SameInputsInAnyOrder_GiveOneId()
    {
        var a = RunIds.ForInputs("movies", new Dictionary<string, string> { ["early"] = "\"0x1\"", ["late"] = "\"0x2\"" });
        var b = RunIds.ForInputs("movies", new Dictionary<string, string> { ["late"] = "\"0x2\"", ["early"] = "\"0x1\"" });
        Assert.Equal(a, b);
        Assert.StartsWith("movies-", a, StringComparison.Ordinal);
        Assert.Equal("movies-".Length + 16, a.Length);
    }

    [Fact]
    public void ForInputs_AnyVersionChanged_GivesAnotherId()
    {
        var before = RunIds.ForInputs("movies", new Dictionary<string, string> { ["early"] = "1", ["late"] = "2" });
        var after = RunIds.ForInputs("movies", new Dictionary<string, string> { ["early"] = "1", ["late"] = "3" });
        var otherFamily = RunIds.ForInputs("books", new Dictionary<string, string> { ["early"] = "1", ["late"] = "2" });
        Assert.NotEqual(before, after);
        Assert.NotEqual(before[7..], otherFamily[6..]);
    }

    [Fact]
    public void ForInputs_NoInputs_IsRejected() =>
        Assert.Throws<ArgumentException>(() => RunIds.ForInputs("movies", new Dictionary<string, string>()));

    [Fact]
    public void Workflow_DoesNotShipTorchSharp() => Assert.Empty(DependencyRules.TorchFilesBesideTests());

    [Theory]
    [InlineData("settle-x-0123456789abcdef", true)] // a run of the family "settle-x"
    [InlineData("batch-0123456789abcdef", true)] // a run of the family "batch"
    [InlineData("settle@x@0123456789abcdef", false)] // x's settle period
    [InlineData("batch@x-0123456789abcdef@splice-0001", false)] // a batch of a run of x
    [InlineData("x-0123456789ABCDEF", false)] // run ids have lower-case hex
    [InlineData("x-0123456789abcde", false)] // 15 digits
    [InlineData("Bad-0123456789abcdef", false)] // no such family name
    [InlineData("-0123456789abcdef", false)]
    public void IsRun_InstanceIds_OnlyRunsOfValidFamilies(string instanceId, bool isRun) =>
        Assert.Equal(isRun, RunIds.IsRun(instanceId));

    [Fact]
    public void IsRun_EveryIdForInputs_IsARun()
    {
        foreach (var family in new[] { "settle-x", "batch", "a", "m.v2_x" })
        {
            Assert.True(RunIds.IsRun(RunIds.ForInputs(family, new Dictionary<string, string> { ["a"] = "1" })), family);
        }
    }

    [Theory]
    [InlineData("batch@x")]
    [InlineData("Bad Name")]
    [InlineData("a/b")]
    [InlineData("")]
    public void ForInputs_FamilyNameOutsideTheRule_ThrowsNamingIt(string family)
    {
        var error = Assert.Throws<ArgumentException>(() => RunIds.ForInputs(family, new Dictionary<string, string> { ["a"] = "1" }));
        Assert.StartsWith($"family name '{family}' is not valid: expected 1 to 63 of a-z", error.Message, StringComparison.Ordinal);
    }
}
