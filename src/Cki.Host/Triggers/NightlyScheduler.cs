using Cki.Host.Configuration;
using Cki.Workflow.Settings;
using Cki.Workflow.Triggers;

namespace Cki.Host.Triggers;

/// <summary>The nightly schedule (NCRONTAB, six fields, UTC): re-integrates every family that asks for it and whose inputs changed.</summary>
public sealed partial class NightlyScheduler(RunStarter starter, CkiHostOptions options, TimeProvider clock, ILogger<NightlyScheduler> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.NightlySchedule))
        {
            return;
        }

        var schedule = NightlyCron.Parse(options.NightlySchedule, $"{WorkflowSettings.Section}:{nameof(WorkflowSettings.NightlySchedule)}");
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            await Task.Delay(next.Value - now.UtcDateTime, clock, stoppingToken).ConfigureAwait(false);
            try
            {
                var outcomes = await starter.StartNightlyAsync(stoppingToken).ConfigureAwait(false);
                var started = outcomes.Count(o => o.Started);
                NightlyDone(logger, started, outcomes.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                NightlyFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "nightly schedule: {Started} run(s) started of {Families} family(ies) asking for it")]
    private static partial void NightlyDone(ILogger logger, int started, int families);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "nightly schedule failed: {Reason}")]
    private static partial void NightlyFailed(ILogger logger, string reason);
}
