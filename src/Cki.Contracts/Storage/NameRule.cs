namespace Cki.Contracts.Storage;

/// <summary>
/// The one rule for the names that become path segments and instance ids: family and source names. A name is 1 to 63
/// of a-z, 0-9, '.', '_', '-', starting with a letter or digit; so it never holds '/', '@' or upper case, and the
/// workflow's own instance ids (which contain '@') can never be taken for a family's runs.
/// </summary>
public static class NameRule
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 63;

    /// <summary>The rule in words, for errors.</summary>
    public const string Description = "1 to 63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (name is null || name.Length is 0 or > MaxLength || !IsLowerAlphanumeric(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsLowerAlphanumeric(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the family when its name breaks the rule.</summary>
    public static void EnsureFamily(string family)
    {
        if (!IsValid(family))
        {
            throw new ArgumentException($"family name '{Shown(family)}' is not valid: expected {Description}.", nameof(family));
        }
    }

    // A hostile name is shown bounded and without control characters.
    private static string Shown(string? name) =>
        name is null ? "" : new string([.. name.Take(80).Select(c => char.IsControl(c) ? '?' : c)]) + (name.Length > 80 ? "..." : "");

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
