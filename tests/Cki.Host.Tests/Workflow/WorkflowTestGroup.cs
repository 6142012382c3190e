using Cki.Testing;

namespace Cki.Host.Tests.Workflow;

/// <summary>The workflow tests share one Azurite and run one after another (they start jobs on the same two cores).</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowTestGroup : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "workflow on Azurite";
}
