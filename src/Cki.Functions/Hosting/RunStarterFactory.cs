using Cki.Workflow.Messages;
using Cki.Workflow.Runs;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Hosting;

/// <summary>
/// Makes a <see cref="RunStarter"/> over the Durable client of one invocation: in the Functions app the client
/// comes from the <c>[DurableClient]</c> binding, not from the container.
/// </summary>
public sealed class RunStarterFactory(InputResolver resolver, RunSettings settings, ILogger<RunStarter> logger)
{
    /// <summary>A starter that schedules runs through <paramref name="client"/>.</summary>
    public RunStarter Create(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new RunStarter(resolver, client, settings, logger);
    }
}
