using System.Diagnostics;

namespace Cki.Host.Tests.Support;

/// <summary>Two real models of the synthetic task, made by <c>cki-compute demo family</c> (each trained on half of its training split).</summary>
internal static class SyntheticFamily
{
    /// <summary>Writes the family into <paramref name="folder"/> (<c>{folder}/{a,b}/model.safetensors</c>); returns the folder.</summary>
    public static string Make(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { HostHarness.ComputeDll, "demo", "family", "--out", folder, "--models", "2" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "cki-compute demo family did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"cki-compute demo family failed: {errors.Result}");
        return folder;
    }
}
