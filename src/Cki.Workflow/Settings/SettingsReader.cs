using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Cki.Workflow.Settings;

/// <summary>
/// Reads a host's settings record from the <c>Cki</c> section: a name that is not a setting is an error naming it (a
/// misspelt setting is never ignored), a value of the wrong kind is an error naming the setting, and the record is
/// validated before it is returned.
/// </summary>
public static class SettingsReader
{
    /// <summary>The setting names of <typeparamref name="T"/>, as its properties spell them.</summary>
    public static IReadOnlyList<string> Names<T>() where T : WorkflowSettings =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>The settings of <paramref name="configuration"/>'s <c>Cki</c> section, checked.</summary>
    /// <exception cref="SettingsException">An unknown name, a value of the wrong kind, or a value out of range.</exception>
    public static T Read<T>(IConfiguration configuration) where T : WorkflowSettings, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(WorkflowSettings.Section);
        var names = Names<T>();
        var unknown = section.GetChildren().Select(c => c.Key).Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new SettingsException($"unknown setting{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(k => $"'{WorkflowSettings.Section}:{k}'"))}; the settings are {string.Join(", ", names)}.");
        }

        T settings;
        try
        {
            settings = section.Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new SettingsException($"a setting has a value of the wrong kind: {e.Message}", e);
        }
        settings.Validate();
        return settings;
    }
}
