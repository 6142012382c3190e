using System.Diagnostics;

namespace Cki.Compute.Benchmarks;

/// <summary>Runs a child process to its end and times it from start to exit.</summary>
internal static class ChildProcess
{
    /// <summary>Wall seconds of <paramref name="file"/> with <paramref name="arguments"/>; a failure throws with the child's error output.</summary>
    public static double Time(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        Task.WaitAll(errors, output);
        return process.ExitCode == 0
            ? seconds
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors.Result.Trim()}");
    }
}
