using Cki.Testing;
using Cki.Testing.Architecture;

namespace Cki.Contracts.Tests.Architecture;

/// <summary>No two folders of a project need each other (docs/architecture.md): one of them would hold the wrong thing. Reads the sources of every project.</summary>
public sealed class NamespaceCycleTests
{
    [Theory]
    [InlineData("Cki.Contracts")]
    [InlineData("Cki.Compute.Core")]
    [InlineData("Cki.Compute")]
    [InlineData("Cki.Workflow")]
    [InlineData("Cki.Functions")]
    [InlineData("Cki.Host")]
    public void Namespaces_OfProject_FormNoCycle(string project)
    {
        var cycles = NamespaceGraph.Of(Path.Combine(RepositoryPaths.Root, "src", project)).Cycles();

        Assert.True(cycles.Count == 0, $"{project} has namespace cycles:\n{string.Join("\n", cycles.Select(c => $"{c}\n  {string.Join("\n  ", c.Dependencies)}"))}");
    }
}
