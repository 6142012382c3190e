using Cki.Testing;

namespace Cki.Host.Tests;

public class DependencyRuleTests
{
    [Fact]
    public void Host_DoesNotShipTorchSharp()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "cki-host.dll")));
        Assert.Empty(DependencyRules.TorchFilesBesideTests());
    }
}
