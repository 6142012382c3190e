using System.Diagnostics;

namespace Cki.Host.Tests.Support;

/// <summary>Two real models of the synthetic task, made by <c>cki-compute demo family</c> (each trained on half of its training split).</summary>
internal static class SyntheticFamily
{
    /// <summary>
    /// The manifest of a learned-CKI run of this family, evaluated, in one shard; <paramref name="promotion"/> is a
    /// <c>promotion:</c> section to add (YAML lines, or empty for the default policy).
    /// </summary>
    public static string LearnedCkiManifest(string promotion = "") =>
        "task: synthetic\nsources: [a, b]\nmerge:\n  method: cki\ncandidates:\n  learning_rates: [0.01]\n  epochs: 1\n" +
        "evaluation:\n  metrics: [auc, accuracy]\n  baselines: [average]\n" + promotion + "shards: 1";

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
