namespace Cki.Contracts.Manifests;

/// <summary>
/// A family manifest that cannot be used: the message names the blob, the 1-based line and column, the field
/// (a dotted path such as <c>merge.method</c>) and what was wrong and what is expected.
/// </summary>
public sealed class ManifestException : Exception
{
    /// <summary>The field of errors that belong to no field (the file as a whole).</summary>
    public const string DocumentField = "(document)";

    /// <summary>The largest options file accepted, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxBytes = 64 * 1024;

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

    /// <summary>The error for a file of <paramref name="bytes"/> bytes, over <see cref="MaxBytes"/>.</summary>
    public static ManifestException TooLarge(string fileName, long bytes) =>
        new(fileName, DocumentField, 1, 1, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the file has {bytes} bytes; expected at most {MaxBytes} (64 KiB)"));
}
