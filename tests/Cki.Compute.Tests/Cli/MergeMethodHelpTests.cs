using Cki.Compute.Cli;

namespace Cki.Compute.Tests.Cli;

public sealed class MergeMethodHelpTests
{
    [Fact]
    public void Create_HelpDescribesEveryMethodAndItsParametersWithDefaults()
    {
        var help = MergeCommand.Create().Description!;

        Assert.Contains("  ties: TIES: task vectors trimmed to their largest values, signs elected, agreeing values averaged [needs base:]", help, StringComparison.Ordinal);
        Assert.Contains("      density (a number in (0, 1]; default 0.2): share of each task vector kept, by magnitude", help, StringComparison.Ordinal);
        Assert.Contains("      base (a checkpoint; required): the base model the task vectors are taken against", help, StringComparison.Ordinal);
        Assert.Contains("  cki: learned local uncertainty combined with the global information content [needs a task: section]", help, StringComparison.Ordinal);
        Assert.Contains("      a (a number in (0, 1]; default 0.4): amplitude of the global term", help, StringComparison.Ordinal);
        Assert.Contains("  average: the uniform mean of the models (model soup)" + Environment.NewLine + "  prune-reference:", help, StringComparison.Ordinal);
    }
}
