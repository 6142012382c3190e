using System.CommandLine;
using Cki.Compute.Config;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Cli;

/// <summary>
/// Runs a command's body and turns the errors a user can cause (bad files, missing files, bad options) into one
/// line on stderr and exit code 1, instead of a stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsUserError(e))
            {
                await Console.Error.WriteLineAsync($"cki-compute: error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("cki-compute: cancelled").ConfigureAwait(false);
                return 130;
            }
        });

    /// <summary>Whether <paramref name="e"/> is an error a user caused (one line, not a stack trace).</summary>
    public static bool IsUserError(Exception e) => e is ConfigException or ManifestException or CheckpointFormatException or IOException or UnauthorizedAccessException
        or ArgumentException or InvalidOperationException or Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException
        or NotSupportedException or FormatException;
}
