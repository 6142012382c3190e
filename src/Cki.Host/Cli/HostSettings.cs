using Cki.Host.Configuration;
using Cki.Workflow.Settings;

namespace Cki.Host.Cli;

/// <summary>
/// Reads cki-host's settings (<see cref="CkiHostOptions"/>) from <c>Cki__Name</c> environment variables and
/// <c>--Cki:Name=value</c> arguments; a name that is not a setting, a value out of range, or an argument of another
/// form is an error naming it, so that a misspelt setting is never ignored. <c>--Logging:...=value</c> arguments go to the host's logging.
/// </summary>
public static class HostSettings
{
    /// <summary>The setting names, as <see cref="CkiHostOptions"/> spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = SettingsReader.Names<CkiHostOptions>();

    /// <summary>The settings from <paramref name="environment"/> and <paramref name="arguments"/> (the later wins).</summary>
    /// <exception cref="ArgumentException">An argument is not <c>--Cki:Name=value</c>, or a name is not a setting.</exception>
    public static (CkiHostOptions Options, IConfiguration Configuration) Read(IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var argument in arguments)
        {
            // Logging:* passes through to the host's logging (e.g. --Logging:LogLevel:Default=Warning).
            if (!(argument.StartsWith("--Cki:", StringComparison.OrdinalIgnoreCase) || argument.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase))
                || !argument.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{argument}' is not an option of this command nor a setting; settings are given as --Cki:<Name>=<value> (--help lists them).");
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(e => e.Key.StartsWith("Cki__", StringComparison.OrdinalIgnoreCase))
                .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .AddCommandLine([.. arguments])
            .Build();
        try
        {
            return (SettingsReader.Read<CkiHostOptions>(configuration), configuration);
        }
        catch (SettingsException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }
}
