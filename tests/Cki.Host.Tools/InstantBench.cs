using Cki.Host.Demo;
using Cki.Workflow.Dispatch;

namespace Cki.Host.Tools;

/// <summary><c>cki-host-tools bench</c>: <see cref="OverheadBench"/>'s run with <see cref="InstantJobDispatcher"/>'s stand-ins for the job processes.</summary>
public static class InstantBench
{
    /// <summary>The scenario of <paramref name="tensors"/> tensors in <paramref name="shards"/> shards, with stand-in jobs.</summary>
    public static DemoScenario Scenario(int tensors, int shards) =>
        OverheadBench.Scenario(tensors, shards) with { Services = services => services.AddSingleton<IJobDispatcher, InstantJobDispatcher>() };
}
