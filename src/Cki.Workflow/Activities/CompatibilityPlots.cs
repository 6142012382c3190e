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
    /// <summary>The plots in the output folder <paramref name="folder"/> (<c>{family}/{runId}/</c>): the per-layer plot and the shards' plots, in shard order.</summary>
    public static async Task<FoundPlots> ListAsync(WorkflowStorage storage, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(folder);
        var expected = CheckpointFileNames.CompatibilityPlotBeside(CheckpointFileNames.SingleFile)["model".Length..];
        var files = (await storage.ListAsync(BlobLayout.IntegratedContainer, folder, cancellationToken).ConfigureAwait(false))
            .Select(b => b.Name[folder.Length..])
            .Where(f => !f.Contains('/', StringComparison.Ordinal))
            .ToList();
        return new FoundPlots(files.Contains(LayerSharePlot.FileName),
            files.Where(f => f.StartsWith("model-", StringComparison.Ordinal) && f.EndsWith(expected, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>A Markdown section showing the plots (the per-layer plot first, when there is one); empty when there are none.</summary>
    public static string Markdown(FoundPlots found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var (perLayer, plots) = found;
        if (plots.Count == 0 && !perLayer)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("## Where each model's knowledge went");
        text.AppendLine();
        if (perLayer)
        {
            text.AppendLine("Each model's share of the spliced elements of every layer:");
            text.AppendLine();
            text.AppendLine($"![each model's share per layer]({LayerSharePlot.FileName})");
            text.AppendLine();
        }

        if (plots.Count > 0)
        {
            text.AppendLine("Each model's share of the elements of every spliced tensor, one plot per shard:");
            text.AppendLine();
        }

        foreach (var plot in plots)
        {
            text.AppendLine($"![each model's share per tensor, {plot[..plot.IndexOf('.', StringComparison.Ordinal)]}]({plot})");
        }

        return text.ToString();
    }
}

/// <summary>The compatibility plots of a run's output folder.</summary>
/// <param name="PerLayer">Whether <see cref="LayerSharePlot.FileName"/> is there.</param>
/// <param name="Shards">The shards' plots' file names, in shard order.</param>
public sealed record FoundPlots(bool PerLayer, IReadOnlyList<string> Shards);
