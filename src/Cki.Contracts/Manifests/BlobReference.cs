using System.Globalization;
using Cki.Contracts.Storage;

namespace Cki.Contracts.Manifests;

/// <summary>
/// A blob a manifest points at, written <c>container/name</c>: the container is
/// <see cref="BlobLayout.CheckpointsContainer"/> or <see cref="BlobLayout.DataContainer"/>, and the name cannot
/// leave it (no URL, no leading '/', no '\', no empty, '.' or '..' segment).
/// </summary>
/// <param name="Container">The storage container.</param>
/// <param name="Name">The blob name inside <paramref name="Container"/>.</param>
public readonly record struct BlobReference(string Container, string Name)
{
    /// <summary>The longest blob name accepted, as Azure Storage allows.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>The containers a manifest may reference.</summary>
    public static IReadOnlyList<string> Containers { get; } = [BlobLayout.CheckpointsContainer, BlobLayout.DataContainer];

    /// <summary>Parses <paramref name="value"/>.</summary>
    /// <exception cref="FormatException">The value is not a blob reference; the message says why.</exception>
    public static BlobReference Parse(string value) =>
        TryParse(value, out var reference, out var problem) ? reference : throw new FormatException(problem);

    /// <summary>Parses <paramref name="value"/>, or says in <paramref name="problem"/> why it is not a blob reference.</summary>
    public static bool TryParse(string? value, out BlobReference reference, out string problem)
    {
        reference = default;
        problem = Check(value) ?? "";
        if (problem.Length > 0)
        {
            return false;
        }

        var slash = value!.IndexOf('/', StringComparison.Ordinal);
        reference = new BlobReference(value[..slash], value[(slash + 1)..]);
        return true;
    }

    /// <summary><c>container/name</c>, as a manifest writes it.</summary>
    public override string ToString() => $"{Container}/{Name}";

    private static string? Check(string? value)
    {
        const string Expected = "expected 'container/name' with container checkpoints or data";
        if (string.IsNullOrEmpty(value))
        {
            return $"the reference is empty; {Expected}";
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            return $"'{value}' is an absolute URL; {Expected}, relative to the storage account";
        }

        if (value.StartsWith('/'))
        {
            return $"'{value}' starts with '/'; {Expected}";
        }

        if (value.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{value}' contains '\\'; {Expected}, with '/' between segments";
        }

        var segments = value.Split('/');
        if (segments.Length < 2)
        {
            return $"'{value}' has no blob name after the container; {Expected}";
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                return $"'{value}' has an empty segment ('//' or a trailing '/'); {Expected}";
            }

            if (segment is "." or "..")
            {
                return $"'{value}' has a '{segment}' segment; {Expected}, without relative segments";
            }
        }

        if (!Containers.Contains(segments[0]))
        {
            return $"container '{segments[0]}' is not one of {string.Join(", ", Containers)}; {Expected}";
        }

        var nameLength = value.Length - segments[0].Length - 1;
        return nameLength > MaxNameLength
            ? string.Create(CultureInfo.InvariantCulture, $"the blob name has {nameLength} characters; expected at most {MaxNameLength}")
            : null;
    }
}
