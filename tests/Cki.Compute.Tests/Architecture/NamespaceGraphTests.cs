using Cki.Testing;
using Cki.Testing.Architecture;

namespace Cki.Compute.Tests.Architecture;

public sealed class NamespaceGraphTests : IDisposable
{
    private readonly ScratchFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Cycles_OneWayUsings_None()
    {
        Write("Shop/Orders/Order.cs", "using Shop.Prices;\nnamespace Shop.Orders;\npublic sealed class Order { public Price Total; }");
        Write("Shop/Prices/Price.cs", "namespace Shop.Prices;\npublic sealed record Price(decimal Amount);");

        var graph = NamespaceGraph.Of(_project.Path);

        Assert.Equal(["Shop.Prices"], graph.DependenciesOf("Shop.Orders"));
        Assert.Empty(graph.DependenciesOf("Shop.Prices"));
        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void Cycles_UsingBackByQualifiedName_NamesTheCycleAndItsFiles()
    {
        Write("Shop/Orders/Order.cs", "using Shop.Prices;\nnamespace Shop.Orders;\npublic sealed class Order { public Price Total; }");
        Write("Shop/Prices/Price.cs", "namespace Shop.Prices;\npublic sealed record Price(decimal Amount) { public Orders.Order? For; }");

        var cycle = Assert.Single(NamespaceGraph.Of(_project.Path).Cycles());

        Assert.Equal(["Shop.Orders", "Shop.Prices"], cycle.Members);
        Assert.Equal(["Shop.Orders", "Shop.Prices", "Shop.Orders"], cycle.Path);
        var sep = Path.DirectorySeparatorChar;
        Assert.Equal($"Shop.Orders -> Shop.Prices (Shop{sep}Orders{sep}Order.cs) -> Shop.Orders (Shop{sep}Prices{sep}Price.cs)", cycle.ToString());
    }

    [Fact]
    public void Cycles_TypeOfEnclosingNamespaceWithoutUsing_Counts()
    {
        Write("Catalog.cs", "using Shop.Orders;\nnamespace Shop;\npublic static class Catalog { public static Order? Last; }");
        Write("Orders/Order.cs", "namespace Shop.Orders;\npublic sealed class Order { public int Count => Catalog.Size; }");

        var cycle = Assert.Single(NamespaceGraph.Of(_project.Path).Cycles());

        Assert.Equal(["Shop", "Shop.Orders"], cycle.Members);
    }

    [Fact]
    public void Cycles_TypeNamedOnlyInCommentsStringsAndBuildOutput_NoEdge()
    {
        Write("Catalog.cs", "using Shop.Orders;\nnamespace Shop;\npublic static class Catalog { public static Order? Last; }");
        Write("Orders/Order.cs", "namespace Shop.Orders;\n/// <summary>Listed in the Catalog.</summary>\npublic sealed class Order { string Name = \"Catalog\"; // Catalog\n}");
        Write("obj/Generated.cs", "using Shop;\nnamespace Shop.Orders;\ninternal static class Generated { }");

        var graph = NamespaceGraph.Of(_project.Path);

        Assert.Empty(graph.DependenciesOf("Shop.Orders"));
        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void Cycles_ThreeNamespacesInACircle_ShortestPathThroughAll()
    {
        Write("A.cs", "using Ring.B;\nnamespace Ring.A;\npublic sealed class First { Second? next; }");
        Write("B.cs", "using Ring.C;\nnamespace Ring.B;\npublic sealed class Second { Third? next; }");
        Write("C.cs", "using Ring.A;\nnamespace Ring.C;\npublic sealed class Third { First? next; }");
        Write("D.cs", "using Ring.A;\nnamespace Ring.D;\npublic sealed class Outside { First? next; }");

        var cycle = Assert.Single(NamespaceGraph.Of(_project.Path).Cycles());

        Assert.Equal(["Ring.A", "Ring.B", "Ring.C", "Ring.A"], cycle.Path);
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(_project.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
