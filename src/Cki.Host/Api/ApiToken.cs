using System.Security.Cryptography;
using System.Text;

namespace Cki.Host.Api;

/// <summary>
/// The bearer token of the local HTTP API's state-changing calls: 32 random bytes (hex) made at first start and
/// kept in a file only this user can read (0600), so that other local users, and web pages, cannot start or stop runs.
/// </summary>
public sealed class ApiToken
{
    private const string Scheme = "Bearer ";
    private const int MinLength = 32;
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly byte[] _bytes;

    private ApiToken(string value, string path)
    {
        Value = value;
        Path = path;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The token.</summary>
    public string Value { get; }

    /// <summary>The file that holds it (full path).</summary>
    public string Path { get; }

    /// <summary>
    /// The token in <paramref name="path"/>; a new one when the file is missing, holds no token (at least 32 characters,
    /// no spaces), or can be read by anyone but its owner (it may have leaked: the old token stops working).
    /// </summary>
    public static ApiToken LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        for (var attempt = 0; ; attempt++)
        {
            if (Read(full) is { } existing)
            {
                return new ApiToken(existing, full);
            }

            var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            // Another host starting at the same moment may have written one since: the first written is kept.
            if (Write(full, value, replace: File.Exists(full)) || attempt > 0)
            {
                return new ApiToken(value, full);
            }
        }
    }

    /// <summary>Whether an <c>Authorization</c> header carries this token (compared in constant time).</summary>
    public bool Matches(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()), _bytes);
    }

    private static string? Read(string path)
    {
        if (!File.Exists(path) || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        return text.Length >= MinLength && !text.Any(char.IsWhiteSpace) ? text : null;
    }

    // Writes a temporary file readable by this user only, then moves it into place; false when another was there first.
    private static bool Write(string path, string value, bool replace)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.Delete(temporary); // a crashed start's leftover: its mode is not ours to trust
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(value + "\n"));
        }

        try
        {
            File.Move(temporary, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
