
namespace Cki.Contracts.Checkpoints;

/// <summary>
/// Checks, from headers only, that every input has the same tensor names, shapes and dtypes as model A, and
/// describes every difference tensor by tensor, before any compute starts.
/// </summary>
public static class ArchitectureCheck
{
    /// <summary>Every difference between model A (<paramref name="models"/>[0]) and the others; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<(string Name, IReadOnlyList<TensorSpec> Tensors)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var differences = new List<string>();
        if (models.Count == 0)
        {
            return differences;
        }

        var (baseName, baseTensors) = models[0];
        var reference = baseTensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var (name, tensors) in models.Skip(1))
        {
            var other = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (var spec in baseTensors)
            {
                if (!other.TryGetValue(spec.Name, out var theirs))
                {
                    differences.Add($"{spec.Name}: in {baseName}, missing from {name}");
                }
                else if (!spec.SameLayout(theirs))
                {
                    differences.Add($"{spec.Name}: {spec.Dtype} {spec.ShapeText} in {baseName}, {theirs.Dtype} {theirs.ShapeText} in {name}");
                }
            }

            differences.AddRange(tensors.Where(t => !reference.ContainsKey(t.Name)).Select(t => $"{t.Name}: in {name}, missing from {baseName}"));
        }

        return differences;
    }

    /// <summary>Throws one error listing every difference, if there is any.</summary>
    public static void Ensure(IReadOnlyList<(string Name, IReadOnlyList<TensorSpec> Tensors)> models)
    {
        var differences = Differences(models);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The models do not share one architecture ({differences.Count} difference(s)):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", differences));
        }
    }
}
