namespace Cki.Contracts.Storage;

/// <summary>
/// The order of a source's version folders: by name, with runs of digits compared as numbers, so that <c>v10</c>
/// comes after <c>v9</c> and <c>2026-12-02</c> after <c>2026-11-30</c>. Ties (e.g. <c>v01</c> and <c>v1</c>) fall back
/// to ordinal order, so the order is total.
/// </summary>
public sealed class VersionOrder : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static VersionOrder Instance { get; } = new();

    private VersionOrder()
    {
    }

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, nextI) = Digits(x, i);
                var (b, nextJ) = Digits(y, j);
                // Compare the numbers by their significant digits: length first, then digit by digit (no overflow).
                var byLength = a.Length.CompareTo(b.Length);
                var byValue = byLength != 0 ? byLength : string.CompareOrdinal(a, b);
                if (byValue != 0)
                {
                    return byValue;
                }

                (i, j) = (nextI, nextJ);
                continue;
            }

            if (x[i] != y[j])
            {
                return x[i].CompareTo(y[j]);
            }

            i++;
            j++;
        }

        var byRest = (x.Length - i).CompareTo(y.Length - j);
        return byRest != 0 ? byRest : string.CompareOrdinal(x, y);
    }

    private static (string Significant, int Next) Digits(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var first = start;
        while (first < end - 1 && text[first] == '0')
        {
            first++;
        }

        return (text[first..end], end);
    }
}
