namespace Cki.Compute.Data.R;

/// <summary>An R object as read from R's serialization format: just the kinds data sets are made of.</summary>
public abstract record RObject
{
    /// <summary>The object's attributes (names, class, levels, row.names ...).</summary>
    public IReadOnlyDictionary<string, RObject> Attributes { get; init; } = new Dictionary<string, RObject>();

    /// <summary>The string values of attribute <paramref name="name"/>, or empty.</summary>
    public IReadOnlyList<string?> StringAttribute(string name) =>
        Attributes.TryGetValue(name, out var value) && value is RStrings strings ? strings.Values : [];
}

/// <summary>NULL, and the special values (environments, missing args) a data set does not need.</summary>
public sealed record RNull : RObject;

/// <summary>An integer or logical vector; NA is <see cref="int.MinValue"/>.</summary>
/// <param name="Values">The values.</param>
public sealed record RInts(int[] Values) : RObject;

/// <summary>A double vector.</summary>
/// <param name="Values">The values.</param>
public sealed record RDoubles(double[] Values) : RObject;

/// <summary>A character vector; NA is null.</summary>
/// <param name="Values">The values.</param>
public sealed record RStrings(string?[] Values) : RObject;

/// <summary>A generic vector (list).</summary>
/// <param name="Items">The elements.</param>
public sealed record RList(RObject[] Items) : RObject;

/// <summary>A symbol.</summary>
/// <param name="Name">Its name.</param>
public sealed record RSymbol(string Name) : RObject;

/// <summary>A pairlist: tagged values (attribute lists, ALTREP class info).</summary>
/// <param name="Items">Tag (or null) and value of each cell.</param>
public sealed record RPairList(IReadOnlyList<(string? Tag, RObject Value)> Items) : RObject;

/// <summary>An R file or object that breaks the format: names the file, the offset and what was expected.</summary>
public sealed class RDataFormatException(string message, Exception? inner = null) : Exception(message, inner);
