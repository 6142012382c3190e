namespace Cki.Contracts.Manifests;

/// <summary>
/// A family manifest that cannot be used: the message names the blob, the 1-based line and column, the field
/// (a dotted path such as <c>merge.method</c>) and what was wrong and what is expected.
/// </summary>
public sealed class ManifestException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> at <paramref name="line"/>:<paramref name="column"/> of <paramref name="blobName"/>.</summary>
    public ManifestException(string blobName, string field, int line, int column, string problem)
        : base($"{blobName}:{line}:{column}: {field}: {problem}")
    {
        BlobName = blobName;
        Field = field;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The manifest's blob name, as given to the parser.</summary>
    public string BlobName { get; }

    /// <summary>The field the error is about: a dotted path such as <c>merge.method</c> or <c>sources[1]</c>.</summary>
    public string Field { get; }

    /// <summary>The 1-based line of the offending node.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the offending node.</summary>
    public int Column { get; }

    /// <summary>What was wrong and what is expected, without the position prefix.</summary>
    public string Problem { get; }
}
