using System.Text.RegularExpressions;

namespace Cki.Infra.Tests.Bicep;

public sealed partial class RoleAssignmentTemplateTests
{
    // Built-in role definition ids (the same in every tenant).
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string AksRbacClusterAdmin = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
    private const string JobDispatcher = "custom:cki-job-dispatcher";

    private const string Account = "Microsoft.Storage/storageAccounts";
    private const string Namespace = "Microsoft.ContainerService/managedClusters/namespaces";

    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    private List<(string Principal, string Role, string Scope)> Assignments() =>
        _main.OfType("Microsoft.Authorization/roleAssignments").Select(a => (
            ParameterName().Match(a.Text("properties.principalId")!).Groups[1].Value,
            Role(a.Text("properties.roleDefinitionId")!),
            ScopeType().Match(a.Text("scope") ?? "(none)").Groups[1].Value)).ToList();

    private static string Role(string expression) =>
        expression.Contains("cki-job-dispatcher", StringComparison.Ordinal) ? JobDispatcher : RoleGuid().Match(expression).Value;

    [Fact]
    public void Assignments_All_ExactlyTheLeastEachPrincipalNeeds()
    {
        var expected = new List<(string, string, string)>
        {
            ("functionPrincipalId", BlobDataContributor, Account),
            ("functionPrincipalId", QueueDataContributor, Account),
            ("functionPrincipalId", TableDataContributor, Account),
            ("functionPrincipalId", MonitoringMetricsPublisher, "Microsoft.Insights/components"),
            ("functionPrincipalId", JobDispatcher, Namespace),
            ("computePrincipalId", BlobDataContributor, Account),
            ("kubeletObjectId", AcrPull, "Microsoft.ContainerRegistry/registries"),
            ("deployerPrincipalId", AksRbacClusterAdmin, "Microsoft.ContainerService/managedClusters"),
        };

        Assert.Equal(expected.Order(), Assignments().Order());
    }

    [Fact]
    public void Assignments_Principals_ComeFromTheirIdentities()
    {
        var access = _main.Module("access");

        Assert.Matches(@"'identities'.*outputs\.functionPrincipalId", access.Parameter("functionPrincipalId"));
        Assert.Matches(@"'identities'.*outputs\.computePrincipalId", access.Parameter("computePrincipalId"));
        Assert.Matches(@"'aks'.*outputs\.kubeletObjectId", access.Parameter("kubeletObjectId"));
        Assert.Equal("[parameters('jobsNamespace')]", access.Parameter("jobsNamespace"));
    }

    [Fact]
    public void Assignments_Scope_NeverTheGroupOrSubscription()
    {
        var assignments = _main.OfType("Microsoft.Authorization/roleAssignments").ToList();

        Assert.NotEmpty(assignments); // none found would pass the loop below without checking anything
        foreach (var assignment in assignments)
        {
            Assert.StartsWith("[resourceId('", assignment.Text("scope"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeployerAdmin_Condition_OnlyWhenAPrincipalIsGiven()
    {
        var deployer = Assert.Single(_main.OfType("Microsoft.Authorization/roleAssignments"), a => a.Text("properties.principalId")!.Contains("deployerPrincipalId", StringComparison.Ordinal));

        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", deployer.Text("condition"));
    }

    [Fact]
    public void JobDispatcherRole_Permissions_JobsCreateReadDeleteAndPodsReadOnly()
    {
        var role = _main.One("Microsoft.Authorization/roleDefinitions");

        Assert.Empty(role.At("properties.permissions.0.actions")!.AsArray());
        Assert.Equal(
            new[]
            {
                "Microsoft.ContainerService/managedClusters/batch/jobs/delete",
                "Microsoft.ContainerService/managedClusters/batch/jobs/read",
                "Microsoft.ContainerService/managedClusters/batch/jobs/write",
                "Microsoft.ContainerService/managedClusters/pods/read",
            },
            role.At("properties.permissions.0.dataActions")!.AsArray().Select(a => (string)a!).Order());
        Assert.Equal("[resourceGroup().id]", (string)role.At("properties.assignableScopes.0")!);
    }

    [GeneratedRegex(@"parameters\('(\w+)'\)")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"resourceId\('([^']+)'")]
    private static partial Regex ScopeType();
}
