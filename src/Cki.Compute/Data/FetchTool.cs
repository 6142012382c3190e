using System.Diagnostics;

namespace Cki.Compute.Data;

/// <summary>
/// Runs the system tool a data fetcher takes its data with (<c>apt-get</c>, <c>dpkg</c>, <c>npm</c>): output read and
/// dropped, at most 5 minutes, and every way it can fail turned into one error naming the command.
/// </summary>
internal static class FetchTool
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/> in <paramref name="folder"/>. <paramref name="neededFor"/>
    /// completes "'program' is needed ..." when the program cannot be started; <paramref name="failureHint"/> is added
    /// to the error of a non-zero exit.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program is missing, ran over the limit, or exited with an error.</exception>
    public static void Run(string program, string folder, string neededFor, string failureHint, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is needed {neededFor}: {e.Message}", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish in {Limit.TotalMinutes:F0} minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}{failureHint}: {error.Result.Trim()}");
            }
        }
    }
}
