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
        T settings;
        try
        {
            // The binder refuses a name that is not a setting (ErrorOnUnknownConfiguration) and a value of the wrong kind.
            settings = section.Get<T>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            var unknown = section.GetChildren().Select(c => c.Key).Where(k => !Names<T>().Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
            throw new SettingsException(unknown.Count > 0
                ? $"unknown setting{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(k => $"'{WorkflowSettings.Section}:{k}'"))}; the settings are {string.Join(", ", Names<T>())}."
                : $"a setting has a value of the wrong kind: {e.Message}", e);
        }

        Check(settings, section);
        return settings;
    }

    /// <summary>The checks the binder does not make: choices given by name, and every setting in range.</summary>
    /// <exception cref="SettingsException">A choice given by number, or a value out of range.</exception>
    public static void Check<T>(T settings, IConfigurationSection section) where T : WorkflowSettings
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(section);
        RequireNamedChoices<T>(section);
        settings.Validate();
    }

    // A choice (an enum setting) is given by name: the binder would also take its number, which no reader of the docs means.
    private static void RequireNamedChoices<T>(IConfigurationSection section)
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.PropertyType.IsEnum))
        {
            var names = Enum.GetNames(property.PropertyType).Select(n => n.ToLowerInvariant()).ToList();
            if (section[property.Name] is { } raw && !names.Contains(raw.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                throw new SettingsException($"{WorkflowSettings.Section}:{property.Name}: expected {string.Join(" or ", names.Select(n => $"'{n}'"))}; got '{raw}'.");
            }
        }
    }
}
