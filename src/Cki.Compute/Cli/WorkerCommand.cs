using System.CommandLine;
using Cki.Compute.Jobs;

namespace Cki.Compute.Cli;

/// <summary>
/// <c>cki-compute worker</c>: a warm job worker for the local dispatcher. It reads job messages from stdin and writes
/// its answers to stdout (the protocol of <see cref="Cki.Contracts.Jobs.WorkerMessage"/>), runs each job in this
/// process exactly as <c>cki-compute job</c> would, and exits when stdin closes or after the idle time.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var idle = new Option<double>("--idle-seconds")
        {
            Description = "Seconds without a job after which the worker exits.",
            DefaultValueFactory = _ => 300,
        };
        idle.Validators.Add(result =>
        {
            var seconds = result.GetValueOrDefault<double>();
            if (!(seconds > 0) || !double.IsFinite(seconds))
            {
                result.AddError($"--idle-seconds: expected a positive number of seconds; got {seconds}.");
            }
        });
        var device = DeviceOption.Create();
        var command = new Command("worker", "Serve compute jobs one after another in one long-lived process, for the local dispatcher: " +
            "one JSON message per line on stdin (run, cancel) and stdout (ready, started, log, ended, error), at most 64 KiB a line. " +
            "Each job writes the same outputs and result.json as 'cki-compute job'. Exits when stdin closes or after --idle-seconds without a job.")
        {
            idle,
            device,
        };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var chosen = DeviceOption.Resolve(parse, device);
            var protocol = Console.OpenStandardOutput();
            Console.SetOut(Console.Error); // stdout carries only protocol lines: anything else printed goes to stderr
            var worker = new JobWorker(protocol, TimeSpan.FromSeconds(parse.GetValue(idle)), (spec, log, token) => RunJob(spec, log, chosen, token));
            return await worker.RunAsync(Console.OpenStandardInput(), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    // One job, as 'cki-compute job' runs it, its exit code as that command's.
    private static int RunJob(string spec, Action<string> log, TorchSharp.torch.Device device, CancellationToken cancellationToken)
    {
        log(DeviceOption.Announcement("job", device));
        try
        {
            return JobRunner.Run(spec, ComputeEnvironment.StorageConnectionString, log, cancellationToken, device).Succeeded ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            log("cki-compute: cancelled");
            return 130;
        }
        catch (Exception e) when (CommandRunner.IsUserError(e))
        {
            log($"cki-compute: error: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            // The job process would have died of it; the worker loses only this job and stays.
            log($"cki-compute: the job crashed: {e}");
            return 134;
        }
    }
}
