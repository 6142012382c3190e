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
}
