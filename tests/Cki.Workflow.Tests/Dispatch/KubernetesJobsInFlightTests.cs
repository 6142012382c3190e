using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;
using k8s.Models;

namespace Cki.Workflow.Tests.Dispatch;

/// <summary>
/// The cap on Jobs in flight (<see cref="KubernetesDispatcherOptions.MaxJobsInFlight"/>) against
/// <see cref="FakeKubernetesApiServer"/> (no real API server runs here; it keeps Jobs and takes merge patches, no controller).
/// </summary>
public sealed class KubernetesJobsInFlightTests : IAsyncLifetime
{
    private const string RunId = "fanout-0123456789abcdef";
    private FakeKubernetesApiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKubernetesApiServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private KubernetesDispatcher Dispatcher(int cap)
    {
        var options = new KubernetesDispatcherOptions { Server = _fake.Address, Image = "cr.example/cki-compute:1", Namespace = "cki-jobs", ServiceAccount = "cki-compute", MaxJobsInFlight = cap, RetryDelay = TimeSpan.FromMilliseconds(20) };
        return new KubernetesDispatcher(KubernetesDispatcher.CreateClient(options, credential: null), options, Microsoft.Extensions.Logging.Abstractions.NullLogger<KubernetesDispatcher>.Instance);
    }

    private static JobLaunch Launch(string jobId) =>
        new(RunId, jobId, 1, new Uri($"https://st.example/runs/{RunId}/jobs/{jobId}/spec.json")) { Kind = JobKinds.Assess };

    private bool Suspended(string jobId) => _fake.Jobs[KubernetesJobs.Name(RunId, jobId, 1)].Spec.Suspend == true;

    private void Complete(string jobId) =>
        _fake.SetStatus(KubernetesJobs.Name(RunId, jobId, 1), new V1JobStatus { Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] });

    [Fact]
    public async Task StartAsync_ThreeJobsCapTwo_TwoRunAndTheThirdWaitsSuspended()
    {
        var dispatcher = Dispatcher(cap: 2);

        foreach (var job in new[] { "assess-1", "assess-2", "assess-3" })
        {
            await dispatcher.StartAsync(Launch(job), CancellationToken.None);
        }

        var probe = await dispatcher.ProbeAsync(RunId, "assess-3", TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(Suspended("assess-1"));
        Assert.False(Suspended("assess-2"));
        Assert.True(Suspended("assess-3"));
        Assert.Equal(JobState.Queued, probe.State);
        Assert.Contains("waits for a slot: 2 of 2 CKI Jobs in flight", probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_OneOfTheCapFinished_TheOldestWaitingJobIsResumedFirst()
    {
        var dispatcher = Dispatcher(cap: 1);
        foreach (var job in new[] { "assess-1", "assess-2", "assess-3" })
        {
            await dispatcher.StartAsync(Launch(job), CancellationToken.None);
        }

        Complete("assess-1");
        var newest = await dispatcher.ProbeAsync(RunId, "assess-3", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.False(Suspended("assess-2")); // created before assess-3, so admitted first, whoever asked
        Assert.True(Suspended("assess-3"));
        Assert.Contains("waits for a slot: 1 of 1", newest.Detail, StringComparison.Ordinal);
        Assert.Contains(_fake.Requests, r => r.StartsWith($"PATCH /apis/batch/v1/namespaces/cki-jobs/jobs/{KubernetesJobs.Name(RunId, "assess-2", 1)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_NoCap_JobsCreatedRunnableAndNothingListed()
    {
        var dispatcher = Dispatcher(cap: 0);

        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        await dispatcher.StartAsync(Launch("assess-2"), CancellationToken.None);

        Assert.All(_fake.Jobs.Values, j => Assert.Null(j.Spec.Suspend));
        Assert.DoesNotContain(_fake.Requests, r => r.StartsWith("GET", StringComparison.Ordinal));
    }
}
