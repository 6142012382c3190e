using System.Text.RegularExpressions;
using Cki.Testing;

namespace Cki.Compute.Tests.Cli;

/// <summary>Every user error of <c>cki-compute merge</c>: one line naming file, line and field or entry, exit code 1, no trace.</summary>
public sealed partial class MergeCommandErrorTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    // Writes merge.yaml and empty files for the models that should exist, runs the command, checks the common rules.
    private string Fails(string yaml, params string[] existing)
    {
        foreach (var file in existing)
        {
            File.WriteAllBytes(_scratch.File(file), []);
        }

        File.WriteAllText(_scratch.File("merge.yaml"), yaml);
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"));
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr:\n{stderr}");
        Assert.DoesNotMatch(TraceLine(), stderr);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        return lines[0];
    }

    [GeneratedRegex(@"(?m)^\s+at ")]
    private static partial Regex TraceLine();

    [Fact]
    public void Merge_UnknownKey_NamesFileLineAndKey() =>
        Assert.Contains("merge.yaml:3:1: speed: unknown key 'speed'", Fails("models: [a.safetensors, b.safetensors]\nmethod: average\nspeed: fast\n",
            "a.safetensors", "b.safetensors"), StringComparison.Ordinal);

    [Fact]
    public void Merge_BadValue_NamesFileLineAndField() =>
        Assert.Contains("merge.yaml:2:9: splice: expected one of soft, hard", Fails("models: [a.safetensors, b.safetensors]\nsplice: medium\n",
            "a.safetensors", "b.safetensors"), StringComparison.Ordinal);

    [Fact]
    public void Merge_UnclosedBracket_NamesFileLineAndTheBracket() =>
        Assert.Contains("merge.yaml:1:9: (document): not valid YAML: this '[' is never closed", Fails("models: [a.safetensors, b.safetensors\nmethod: average\n",
            "a.safetensors", "b.safetensors"), StringComparison.Ordinal);

    [Fact]
    public void Merge_MalformedYamlBadIndentation_NamesFileAndLine() =>
        Assert.Matches(@"merge\.yaml:3:\d+: \(document\): not valid YAML", Fails("models:\n  - a.safetensors\n - b.safetensors\n",
            "a.safetensors", "b.safetensors"));

    [Fact]
    public void Merge_MissingModelFile_NamesTheEntry() =>
        Assert.Contains("merge.yaml:3:5: models[1]: checkpoints/b.safetensors: no such file",
            Fails("models:\n  - a.safetensors\n  - checkpoints/b.safetensors\n", "a.safetensors"), StringComparison.Ordinal);

    [Fact]
    public void Merge_OneModel_NamesFileLineAndField() =>
        Assert.Contains("merge.yaml:1:9: models: expected at least 2 models to integrate, found 1", Fails("models: [a.safetensors]\n", "a.safetensors"), StringComparison.Ordinal);

    [Fact]
    public void Merge_LearnedMethodWithoutTask_NamesFileLineAndField() =>
        Assert.Contains("merge.yaml:2:9: method: 'cki' learns the local assessment and needs a task with data, but there is no 'task:' section", Fails("models: [a.safetensors, b.safetensors]\nmethod: cki\n",
            "a.safetensors", "b.safetensors"), StringComparison.Ordinal);
}
