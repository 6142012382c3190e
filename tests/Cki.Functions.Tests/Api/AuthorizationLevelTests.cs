using System.Reflection;
using Cki.Functions.Api;
using Microsoft.Azure.Functions.Worker;

namespace Cki.Functions.Tests.Api;

/// <summary>In Azure, function keys (or App Service authentication in front) protect the HTTP API: no run route is anonymous.</summary>
public sealed class AuthorizationLevelTests
{
    private static readonly (string Function, HttpTriggerAttribute Trigger)[] Triggers =
        [.. typeof(StartRunFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name ?? m.Name, Trigger: p.GetCustomAttribute<HttpTriggerAttribute>())))
            .Where(p => p.Trigger is not null)
            .Select(p => (p.Function, p.Trigger!))];

    [Fact]
    public void HttpTriggers_StateChangingMethods_AreNeverAnonymous()
    {
        var changing = Triggers.Where(t => t.Trigger.Methods is null || t.Trigger.Methods.Any(m => !m.Equals("get", StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.Equal(["StartRun", "TerminateRun"], changing.Select(t => t.Function).Order(StringComparer.Ordinal));
        Assert.All(changing, t => Assert.Equal(AuthorizationLevel.Function, t.Trigger.AuthLevel));
    }

    [Fact]
    public void HttpTriggers_RunRoutes_NeedAFunctionKey_OnlyHealthIsAnonymous()
    {
        Assert.Equal(["GetRun", "GetRunCompatibility", "GetRunOutput", "GetRunTimeline", "ListRuns", "StartRun", "TerminateRun"],
            Triggers.Where(t => t.Trigger.Route!.StartsWith("runs", StringComparison.Ordinal)).Select(t => t.Function).Order(StringComparer.Ordinal));
        Assert.All(Triggers.Where(t => t.Trigger.Route!.StartsWith("runs", StringComparison.Ordinal)), t => Assert.Equal(AuthorizationLevel.Function, t.Trigger.AuthLevel));
        // The dashboard's page and files hold no data and no key; the API calls they make need one.
        Assert.Equal(["Dashboard", "DashboardFile", "Health"], Triggers.Where(t => t.Trigger.AuthLevel == AuthorizationLevel.Anonymous).Select(t => t.Function)
            .Order(StringComparer.Ordinal));
    }
}
