namespace Cki.Compute.Data.R;

/// <summary>A data.frame read from R: named columns of integers, doubles or strings (factors become strings).</summary>
/// <param name="Columns">Column name to values: <c>int[]</c> (NA = int.MinValue), <c>double[]</c> or <c>string?[]</c>.</param>
/// <param name="Rows">Number of rows.</param>
public sealed record RDataFrame(IReadOnlyDictionary<string, Array> Columns, int Rows)
{
    /// <summary>Reads a data.frame object; <paramref name="source"/> names it in errors.</summary>
    public static RDataFrame From(RObject value, string source)
    {
        if (value is not RList list || !value.StringAttribute("class").Contains("data.frame"))
        {
            throw new RDataFormatException($"{source}: not a data.frame.");
        }

        var names = value.StringAttribute("names");
        if (names.Count != list.Items.Length)
        {
            throw new RDataFormatException($"{source}: {list.Items.Length} columns but {names.Count} names.");
        }

        var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
        var rows = -1;
        for (var i = 0; i < names.Count; i++)
        {
            Array column = list.Items[i] switch
            {
                RInts ints when ints.StringAttribute("class").Contains("factor") => Factor(ints, source, names[i]!),
                RInts ints => ints.Values,
                RDoubles doubles => doubles.Values,
                RStrings strings => strings.Values,
                var other => throw new RDataFormatException($"{source}: column '{names[i]}' is a {other.GetType().Name}, not a vector."),
            };
            if (rows >= 0 && column.Length != rows)
            {
                throw new RDataFormatException($"{source}: column '{names[i]}' has {column.Length} rows, the others {rows}.");
            }

            rows = column.Length;
            columns[names[i] ?? $"V{i + 1}"] = column;
        }

        return new RDataFrame(columns, Math.Max(rows, 0));
    }

    /// <summary>A column by name, of the expected element type, or an error naming it.</summary>
    public T[] Column<T>(string name, string source) =>
        Columns.TryGetValue(name, out var column) && column is T[] typed
            ? typed
            : throw new RDataFormatException($"{source}: no {typeof(T).Name} column '{name}' (columns: {string.Join(", ", Columns.Keys)}).");

    private static string?[] Factor(RInts codes, string source, string column)
    {
        var levels = codes.StringAttribute("levels");
        return codes.Values.Select(code => code == int.MinValue ? null
            : code >= 1 && code <= levels.Count ? levels[code - 1]
            : throw new RDataFormatException($"{source}: factor column '{column}' has code {code} but {levels.Count} levels.")).ToArray();
    }
}
