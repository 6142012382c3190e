using Cki.Contracts.Manifests;

namespace Cki.Compute.Cli;

/// <summary>The methods part of <c>cki-compute merge --help</c>, written from the method descriptors (<see cref="MergeMethods"/>).</summary>
internal static class MergeMethodHelp
{
    /// <summary>One line per method (what it computes, what it needs), then one per parameter with its values and default.</summary>
    public static string Text()
    {
        var lines = new List<string> { "Methods (method: in merge.yaml):" };
        foreach (var method in MergeMethods.All)
        {
            var needs = method.NeedsData ? " [needs a task: section]" : method.NeedsBase ? " [needs base:]" : "";
            lines.Add($"  {method.Name}: {method.Summary}{needs}");
            lines.AddRange(method.Parameters.Select(p =>
                $"      {p.Name} ({p.Expected}; {(p.Required ? "required" : $"default {p.Default}")}): {p.Description}"));
        }

        lines.Add($"Every method also takes: {string.Join(", ", MergeMethods.CommonOptions)}.");
        return string.Join(Environment.NewLine, lines);
    }
}
