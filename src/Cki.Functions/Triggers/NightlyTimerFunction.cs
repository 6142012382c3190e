using Cki.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Triggers;

/// <summary>The nightly pass: re-integrates every family that asks for it and whose inputs changed since its last run.</summary>
public sealed class NightlyTimerFunction(RunStarterFactory starters)
{
    /// <summary>The function's name.</summary>
    public const string Name = "NightlyIntegration";

    /// <summary>Runs on the NCRONTAB schedule of the <c>Cki:NightlySchedule</c> setting (app setting <c>Cki__NightlySchedule</c>).</summary>
    [Function(Name)]
    public Task RunAsync(
        [TimerTrigger("%" + BindingSettings.NightlySchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        starters.Create(client).StartNightlyAsync(cancellationToken);
}
