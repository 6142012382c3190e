using System.Text;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Activities;

/// <summary>
/// The PNG plots the splice jobs wrote beside their shards (each model's share per spliced tensor), found in a run's
/// output folder and linked from its model card and report, so that the results read without the dashboard.
/// </summary>
public static class CompatibilityPlots
{
    /// <summary>The plots' file names in the output folder <paramref name="folder"/> (<c>{family}/{runId}/</c>), in shard order.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(WorkflowStorage storage, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(folder);
        var expected = CheckpointFileNames.CompatibilityPlotBeside(CheckpointFileNames.SingleFile)["model".Length..];
        return (await storage.ListAsync(BlobLayout.IntegratedContainer, folder, cancellationToken).ConfigureAwait(false))
            .Select(b => b.Name[folder.Length..])
            .Where(f => !f.Contains('/', StringComparison.Ordinal) && f.StartsWith("model-", StringComparison.Ordinal) && f.EndsWith(expected, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A Markdown section showing the plots; empty when there are none.</summary>
    public static string Markdown(IReadOnlyList<string> plots)
    {
        ArgumentNullException.ThrowIfNull(plots);
        if (plots.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("## Compatibility per spliced tensor");
        text.AppendLine();
        text.AppendLine("Each model's share of the elements of every spliced tensor, one plot per shard:");
        text.AppendLine();
        foreach (var plot in plots)
        {
            text.AppendLine($"![each model's share per tensor, {plot[..plot.IndexOf('.', StringComparison.Ordinal)]}]({plot})");
        }

        return text.ToString();
    }
}
