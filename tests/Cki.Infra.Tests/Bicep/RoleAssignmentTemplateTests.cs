using Cki.Contracts.Storage;
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
    private const string BlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string JobDispatcher = "custom:cki-job-dispatcher";

    // Scopes as "{type}({name parts})", each part a parameter's name or a literal.
    private const string HostAccount = "Microsoft.Storage/storageAccounts(hostStorageAccountName)";
    private const string DataAccount = "Microsoft.Storage/storageAccounts(dataStorageAccountName)";
    private const string Namespace = "Microsoft.ContainerService/managedClusters/namespaces(clusterName/jobsNamespace)";

    private static string DataContainer(string name) => $"Microsoft.Storage/storageAccounts/blobServices/containers(dataStorageAccountName/default/{name})";

    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    private List<(string Principal, string Role, string Scope)> Assignments() =>
        _main.OfType("Microsoft.Authorization/roleAssignments").Select(a => (
            ParameterName().Match(a.Text("properties.principalId")!).Groups[1].Value,
            Role(a.Text("properties.roleDefinitionId")!),
            Scope(a.Text("scope") ?? "(none)"))).ToList();

    // "[resourceId('T', parameters('a'), 'b')]" -> "T(a/b)".
    private static string Scope(string expression)
    {
        var match = ScopeCall().Match(expression);
        Assert.True(match.Success, $"scope {expression} is not a resourceId() of the group");
        var parts = ScopeArgument().Matches(match.Groups["args"].Value).Select(m => m.Groups["p"].Success ? m.Groups["p"].Value : m.Groups["l"].Value);
        return $"{match.Groups["type"].Value}({string.Join('/', parts)})";
    }

    private static string Role(string expression) =>
        expression.Contains("cki-job-dispatcher", StringComparison.Ordinal) ? JobDispatcher : RoleGuid().Match(expression).Value;

    // Rule reproduced: the role scopes on the compiled template. Each principal's assignments, exactly: the compute
    // identity only on the data account's containers (read on inputs, write on outputs), never the app's own account.
    [Fact]
    public void Assignments_All_ExactlyTheLeastEachPrincipalNeeds()
    {
        var expected = new List<(string, string, string)>
        {
            ("functionPrincipalId", BlobDataContributor, HostAccount),
            ("functionPrincipalId", QueueDataContributor, HostAccount),
            ("functionPrincipalId", TableDataContributor, HostAccount),
            ("functionPrincipalId", BlobDataContributor, DataAccount),
            ("functionPrincipalId", QueueDataContributor, DataAccount),
            ("functionPrincipalId", MonitoringMetricsPublisher, "Microsoft.Insights/components(insightsName)"),
            ("functionPrincipalId", JobDispatcher, Namespace),
            ("computePrincipalId", BlobDataReader, DataContainer(BlobLayout.CheckpointsContainer)),
            ("computePrincipalId", BlobDataReader, DataContainer(BlobLayout.DataContainer)),
            ("computePrincipalId", BlobDataContributor, DataContainer(BlobLayout.RunsContainer)),
            ("computePrincipalId", BlobDataContributor, DataContainer(BlobLayout.IntegratedContainer)),
            ("eventGridPrincipalId", BlobDataContributor, "Microsoft.Storage/storageAccounts/blobServices/containers(hostStorageAccountName/default/deadLetterContainer)"),
            ("kubeletObjectId", AcrPull, "Microsoft.ContainerRegistry/registries(registryName)"),
            ("deployerPrincipalId", AksRbacClusterAdmin, "Microsoft.ContainerService/managedClusters(clusterName)"),
            ("deployerPrincipalId", BlobDataContributor, DataAccount),
        };

        Assert.Equal(expected.Order(), Assignments().Order());
    }

    [Fact]
    public void Accounts_AccessModule_HostIsTheAppsAccountDataIsTheWorkflows()
    {
        var access = _main.Module("access");
        var app = _main.Module("function-app");

        Assert.Contains("'app-storage'", access.Parameter("hostStorageAccountName"), StringComparison.Ordinal);
        Assert.Contains("'storage'", access.Parameter("dataStorageAccountName"), StringComparison.Ordinal);
        Assert.Contains("'app-storage'", app.Parameter("hostStorageAccountName"), StringComparison.Ordinal);
        Assert.Contains("'app-storage'", app.Parameter("hostBlobEndpoint"), StringComparison.Ordinal);
        Assert.Contains("'storage'", app.Parameter("dataBlobEndpoint"), StringComparison.Ordinal);
        Assert.Contains("'storage'", _main.Module("event-grid").Parameter("storageAccountName"), StringComparison.Ordinal);
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
    public void DeployerAssignments_Condition_OnlyWhenAPrincipalIsGiven()
    {
        var deployer = _main.OfType("Microsoft.Authorization/roleAssignments").Where(a => a.Text("properties.principalId")!.Contains("deployerPrincipalId", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, deployer.Count);
        Assert.All(deployer, d => Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", d.Text("condition")));
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

    [GeneratedRegex(@"^\[resourceId\('(?<type>[^']+)', (?<args>.*)\)\]$")]
    private static partial Regex ScopeCall();

    [GeneratedRegex(@"parameters\('(?<p>\w+)'\)|'(?<l>[^']*)'")]
    private static partial Regex ScopeArgument();
}
