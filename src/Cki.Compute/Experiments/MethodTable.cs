using System.Globalization;
using System.Text;

namespace Cki.Compute.Experiments;

/// <summary>An experiment report's table of test metrics: a row per method, its kept epochs, a cell per metric over the seeds.</summary>
public static class MethodTable
{
    /// <summary>
    /// Appends <paramref name="heading"/> and the table of <paramref name="section"/>'s methods in their order, each metric's
    /// values over the seeds as their <see cref="Spread"/>; returns the methods.
    /// </summary>
    public static List<string> Append(StringBuilder md, string heading, IReadOnlyList<ExperimentRun> section)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(section);
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(heading);
        md.AppendLine();
        md.AppendLine("| method | kept epoch(s) | " + string.Join(" | ", RecommendationMetrics.Names) + " |");
        md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", RecommendationMetrics.Names.Count)));
        var methods = section.Select(r => r.Method).Distinct().ToList();
        foreach (var method in methods)
        {
            var group = section.Where(r => r.Method == method).ToList();
            var epochs = group.All(r => r.Epoch is null) ? "-" : string.Join(" ", group.Select(r => r.Epoch?.ToString(c) ?? "-"));
            md.Append("| ").Append(method).Append(" | ").Append(epochs).Append(" |");
            foreach (var metric in RecommendationMetrics.Names)
            {
                md.Append(' ').Append(Spread(group.Select(r => r.Test[metric]).ToList())).Append(" |");
            }

            md.AppendLine();
        }

        return methods;
    }

    /// <summary>The mean over seeds, with the sample standard deviation when there are two or more.</summary>
    public static string Spread(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mean = values.Average();
        if (values.Count < 2)
        {
            return mean.ToString("F4", CultureInfo.InvariantCulture);
        }

        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {std:F4}");
    }
}
