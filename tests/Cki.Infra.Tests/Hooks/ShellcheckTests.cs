using System.Diagnostics;

namespace Cki.Infra.Tests.Hooks;

/// <summary>
/// Rule reproduced: shellcheck. azd runs the hooks with <c>sh</c> (azure.yaml), so they must be plain POSIX sh with
/// nothing shellcheck warns about. Skipped, and reported as skipped, where shellcheck is not installed
/// (<c>apt-get install shellcheck</c>).
/// </summary>
public sealed class ShellcheckTests
{
    public static TheoryData<string> Hooks() => [.. Scripts()];

    private static List<string> Scripts() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("infra", "scripts"), "*.sh").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Hooks_AzureYaml_EveryHookIsAScriptOfInfraScriptsRunBySh()
    {
        var yaml = RepositoryFiles.Read("azure.yaml");
        var scripts = Scripts();

        Assert.Equal(["postdeploy.sh", "postprovision.sh", "preprovision.sh"], scripts);
        Assert.All(scripts, s => Assert.Contains($"      shell: sh\n      run: infra/scripts/{s}\n", yaml, StringComparison.Ordinal));
    }

    [ShellcheckTheory]
    [MemberData(nameof(Hooks))]
    public async Task Hook_Shellcheck_NoFinding(string script)
    {
        var start = new ProcessStartInfo("shellcheck", ["--shell=sh", "--severity=style", Path.Combine("infra", "scripts", script)])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output);
    }

    /// <summary>A theory that is skipped when no <c>shellcheck</c> is on PATH.</summary>
    private sealed class ShellcheckTheoryAttribute : TheoryAttribute
    {
        public ShellcheckTheoryAttribute()
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "shellcheck")));
            if (!found)
            {
                Skip = "shellcheck is not installed (apt-get install shellcheck)";
            }
        }
    }
}
