using Cronos;

namespace Cki.Workflow.Settings;

/// <summary>
/// The nightly schedule's one format, NCRONTAB with six fields (second, minute, hour, day, month, weekday; UTC): what
/// the Functions timer trigger takes, and what cki-host parses with Cronos.
/// </summary>
public static class NightlyCron
{
    /// <summary>02:00 UTC every day.</summary>
    public const string Default = "0 0 2 * * *";

    /// <summary>The parsed schedule; an error naming <paramref name="setting"/> when it is not six cron fields.</summary>
    /// <exception cref="SettingsException">Not a six-field cron expression.</exception>
    public static CronExpression Parse(string schedule, string setting)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 6)
        {
            throw new SettingsException($"{setting}: '{schedule}' has {fields} fields; expected NCRONTAB with six (second minute hour day month weekday, UTC), e.g. '{Default}'.");
        }

        try
        {
            return CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new SettingsException($"{setting}: '{schedule}' is not a cron expression ({e.Message}); expected e.g. '{Default}'.", e);
        }
    }
}
