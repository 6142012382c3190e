using System.CommandLine;
using Cki.Compute.Jobs;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute job --spec &lt;file|blob-url&gt;</c>: the container entrypoint of the workflow's compute jobs.</summary>
internal static class JobCommand
{
    public static Command Create()
    {
        var spec = new Option<string>("--spec")
        {
            Description = "The job spec: a local file or a blob URL (runs/{runId}/jobs/{jobId}/spec.json). Blobs are reached with " +
                "CKI_STORAGE_CONNECTION_STRING when set, a SAS in the URL, or DefaultAzureCredential.",
            Required = true,
        };
        var device = DeviceOption.Create();
        var command = new Command("job", "Run one compute job of an integration run (profile, assess, splice, evaluate or retrain): " +
            "read inputs from Blob Storage, write outputs, then result.json last. Exit code 0 when the job succeeded, 1 when it failed " +
            "(the reason is in result.json).")
        {
            spec,
            device,
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            var chosen = DeviceOption.Resolve(parse, device);
            DeviceOption.Announce("job", chosen);
            var result = JobRunner.Run(parse.GetValue(spec)!, ComputeEnvironment.StorageConnectionString, line => Console.Error.WriteLine(line), cancellationToken,
                chosen);
            return Task.FromResult(result.Succeeded ? 0 : 1);
        });
        return command;
    }
}
