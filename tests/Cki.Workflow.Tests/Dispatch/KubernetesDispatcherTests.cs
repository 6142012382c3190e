using System.Net;
using System.Net.Sockets;
using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cki.Workflow.Tests.Dispatch;

/// <summary>The kubernetes dispatcher's calls, over HTTP, against <see cref="FakeKubernetesApiServer"/> (no real API server runs here).</summary>
public sealed class KubernetesDispatcherTests : IAsyncLifetime
{
    private const string RunId = "demo-0123456789abcdef";
    private FakeKubernetesApiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKubernetesApiServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static KubernetesDispatcherOptions Options(Uri server) => new()
    {
        Server = server,
        Image = "cr.example/cki-compute:1",
        Namespace = "cki-jobs",
        ServiceAccount = "cki-compute",
        RetryDelay = TimeSpan.FromMilliseconds(20),
        CallAttempts = 3,
    };

    private KubernetesDispatcher Dispatcher(Uri? server = null)
    {
        var options = Options(server ?? _fake.Address);
        return new KubernetesDispatcher(KubernetesDispatcher.CreateClient(options, credential: null), options, NullLogger<KubernetesDispatcher>.Instance);
    }

    private static JobLaunch Launch(string jobId, int attempt = 1) =>
        new(RunId, jobId, attempt, new Uri($"https://st.example/runs/{RunId}/jobs/{jobId}/spec.json")) { Kind = JobKinds.Assess };

    [Fact]
    public async Task StartAsync_NewAttempt_CreatesTheJobInTheJobsNamespace()
    {
        await Dispatcher().StartAsync(Launch("assess-1"), CancellationToken.None);

        var job = Assert.Single(_fake.Jobs.Values);
        Assert.Equal(KubernetesJobs.Name(RunId, "assess-1", 1), job.Metadata.Name);
        Assert.Equal("cki-jobs", job.Metadata.NamespaceProperty);
        Assert.Equal("1", job.Spec.Template.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Contains("POST /apis/batch/v1/namespaces/cki-jobs/jobs", _fake.Requests);
    }

    [Fact]
    public async Task StartAsync_JobExists409_AdoptsItAndProbesIt()
    {
        await Dispatcher().StartAsync(Launch("assess-1"), CancellationToken.None);
        var again = Dispatcher(); // another instance, or the same activity run again

        await again.StartAsync(Launch("assess-1"), CancellationToken.None);
        var probe = await again.ProbeAsync(RunId, "assess-1", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Single(_fake.Jobs);
        Assert.Equal(JobState.Queued, probe.State);
    }

    [Fact]
    public async Task StartAsync_Forbidden403_ErrorNamesTheMissingRoleAndNamespace()
    {
        _fake.Refuse = HttpStatusCode.Forbidden;

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Dispatcher().StartAsync(Launch("assess-1"), CancellationToken.None));

        Assert.Contains("CKI job dispatcher", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cki-jobs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Requests); // a refusal is not retried
    }

    [Fact]
    public async Task StartAsync_ServerUnreachable_RetriesThenFailsWithTheReason()
    {
        var closed = ClosedPort();

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => Dispatcher(closed).StartAsync(Launch("assess-1"), CancellationToken.None));

        Assert.Contains("was asked to create Jobs 3 times and could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains(closed.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_PodRunning_RunningOnTheNode()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        var name = KubernetesJobs.Name(RunId, "assess-1", 1);
        _fake.AddPod(name, new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [new V1ContainerStatus { Name = "cki-compute", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } } }],
        });

        var probe = await dispatcher.ProbeAsync(RunId, "assess-1", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Running, probe.State);
        Assert.Contains("aks-gpu-0", probe.Detail, StringComparison.Ordinal);
        Assert.Contains($"GET /apis/batch/v1/namespaces/cki-jobs/jobs/{name}", _fake.Requests);
        Assert.Contains(_fake.Requests, r => r.StartsWith("GET /api/v1/namespaces/cki-jobs/pods?labelSelector=job-name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_JobDeleted404_Lost()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        await Dispatcher().CancelRunAsync(RunId, CancellationToken.None); // e.g. removed by hand or by its TTL

        var probe = await dispatcher.ProbeAsync(RunId, "assess-1", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Lost, probe.State);
        Assert.Contains(_fake.Requests, r => r.StartsWith("GET /apis/batch/v1/namespaces/cki-jobs/jobs/cki-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_OtherInstance_FindsTheNewestAttemptByLabel()
    {
        await Dispatcher().StartAsync(Launch("assess-1", attempt: 1), CancellationToken.None);
        await Dispatcher().StartAsync(Launch("assess-1", attempt: 2), CancellationToken.None);
        _fake.SetStatus(KubernetesJobs.Name(RunId, "assess-1", 1), new V1JobStatus { Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded" }] });

        var probe = await Dispatcher().ProbeAsync(RunId, "assess-1", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Queued, probe.State); // attempt 2, not the failed attempt 1
        Assert.Contains(_fake.Requests, r => r.StartsWith("GET /apis/batch/v1/namespaces/cki-jobs/jobs?labelSelector=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_ImagePullBackOff_CrashedWithReasonAndJobDeleted()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        var name = KubernetesJobs.Name(RunId, "assess-1", 1);
        _fake.AddPod(name, new V1PodStatus
        {
            Phase = "Pending",
            ContainerStatuses = [new V1ContainerStatus { Name = "cki-compute", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff" } } }],
        });

        var probe = await dispatcher.ProbeAsync(RunId, "assess-1", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Exited, probe.State);
        Assert.Contains("ImagePullBackOff", probe.Detail, StringComparison.Ordinal);
        Assert.Empty(_fake.Jobs);
        Assert.Contains($"DELETE /apis/batch/v1/namespaces/cki-jobs/jobs/{name}?propagationPolicy=Background", _fake.Requests);
    }

    [Fact]
    public async Task CancelRunAsync_RunWithJobs_DeletesOnlyItsJobsInBackgroundAndRefusesLaterStarts()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        await dispatcher.StartAsync(Launch("assess-2"), CancellationToken.None);
        await dispatcher.StartAsync(new JobLaunch("other-0123456789abcdef", "assess-1", 1, new Uri("https://st.example/x")), CancellationToken.None);
        _fake.SetStatus(KubernetesJobs.Name(RunId, "assess-2", 1), new V1JobStatus { Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] });

        var stopped = await dispatcher.CancelRunAsync(RunId, CancellationToken.None);
        await dispatcher.StartAsync(Launch("assess-3"), CancellationToken.None);

        Assert.Equal(1, stopped); // assess-2 had finished
        var left = Assert.Single(_fake.Jobs.Values);
        Assert.Equal("other-0123456789abcdef", left.Metadata.Labels[KubernetesJobs.RunLabel]);
        Assert.Equal("Background", Assert.Single(_fake.DeleteOptions).PropagationPolicy);
        Assert.Contains($"DELETE /apis/batch/v1/namespaces/cki-jobs/jobs?labelSelector={Uri.EscapeDataString(KubernetesJobs.RunSelector(RunId))}", _fake.Requests);
    }

    [Fact]
    public async Task CancelRunAsync_PodsRunning_WaitsUntilTheRunsPodsAreGone()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("assess-1"), CancellationToken.None);
        _fake.AddPod(KubernetesJobs.Name(RunId, "assess-1", 1), new V1PodStatus { Phase = "Running" });

        await dispatcher.CancelRunAsync(RunId, CancellationToken.None);

        var requests = _fake.Requests.ToList();
        var delete = requests.FindIndex(r => r.StartsWith("DELETE /apis/batch/v1/namespaces/cki-jobs/jobs?", StringComparison.Ordinal));
        var podsByRun = requests.FindLastIndex(r => r.StartsWith($"GET /api/v1/namespaces/cki-jobs/pods?labelSelector={Uri.EscapeDataString(KubernetesJobs.RunSelector(RunId))}", StringComparison.Ordinal));
        Assert.True(delete >= 0 && podsByRun > delete, string.Join("\n", requests));
    }

    // A loopback port nothing listens on.
    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
