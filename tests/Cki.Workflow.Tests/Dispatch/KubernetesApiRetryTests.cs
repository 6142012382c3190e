using System.Net;
using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Orchestration;
using k8s;
using k8s.Autorest;
using Microsoft.DurableTask;

namespace Cki.Workflow.Tests.Dispatch;

/// <summary>
/// The Kubernetes API's retries (<see cref="KubernetesRetryHandler"/>) over HTTP, against <see cref="FakeKubernetesApiServer"/>
/// (no real API server runs here) answering 429 with Retry-After, 503, or nothing, as a busy real one does.
/// </summary>
public sealed class KubernetesApiRetryTests : IAsyncLifetime
{
    private const string RunId = "retry-0123456789abcdef";
    private readonly RecordingLogger<KubernetesDispatcher> _log = new();
    private FakeKubernetesApiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKubernetesApiServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private KubernetesDispatcher Dispatcher(int attempts = 4, TimeSpan? callTimeout = null)
    {
        var options = new KubernetesDispatcherOptions
        {
            Server = _fake.Address,
            Image = "cr.example/cki-compute:1",
            Namespace = "cki-jobs",
            ServiceAccount = "cki-compute",
            RetryDelay = TimeSpan.FromMilliseconds(20),
            CallAttempts = attempts,
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(30),
        };
        return new KubernetesDispatcher(KubernetesDispatcher.CreateClient(options, credential: null, _log), options, _log);
    }

    private static JobLaunch Launch(string jobId) =>
        new(RunId, jobId, 1, new Uri($"https://st.example/runs/{RunId}/jobs/{jobId}/spec.json")) { Kind = JobKinds.Profile };

    private int Count(string prefix) => _fake.Requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task StartAsync_FakeServerThrottles429WithRetryAfter_WaitsWhatTheServerAsksThenCreates()
    {
        _fake.Interrupt(HttpStatusCode.TooManyRequests, times: 2, retryAfterSeconds: 1);

        await Dispatcher().StartAsync(Launch("profile-a"), CancellationToken.None);

        Assert.Single(_fake.Jobs);
        Assert.Equal(3, Count("POST /apis/batch/v1/namespaces/cki-jobs/jobs"));
        // The backoff alone would wait 20-40 ms: the waits are the server's 1 s.
        var retries = _log.Lines.Where(l => l.StartsWith("Kubernetes API call failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.EndsWith("429 TooManyRequests; trying again in 1 s", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_FakeServer503Twice_RetriedAndAnswers()
    {
        var dispatcher = Dispatcher();
        await dispatcher.StartAsync(Launch("profile-a"), CancellationToken.None);
        _fake.Interrupt(HttpStatusCode.ServiceUnavailable, times: 2);

        var probe = await dispatcher.ProbeAsync(RunId, "profile-a", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Queued, probe.State);
        Assert.Equal(3, Count($"GET /apis/batch/v1/namespaces/cki-jobs/jobs/{KubernetesJobs.Name(RunId, "profile-a", 1)}"));
    }

    [Fact]
    public async Task ProbeAsync_FakeServerSilentPastTheCallTimeout_TriesAgain()
    {
        var dispatcher = Dispatcher(callTimeout: TimeSpan.FromMilliseconds(300));
        await dispatcher.StartAsync(Launch("profile-a"), CancellationToken.None);
        _fake.Stall(TimeSpan.FromSeconds(20), times: 1);

        var probe = await dispatcher.ProbeAsync(RunId, "profile-a", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(JobState.Queued, probe.State);
        Assert.Equal(2, Count($"GET /apis/batch/v1/namespaces/cki-jobs/jobs/{KubernetesJobs.Name(RunId, "profile-a", 1)}"));
    }

    [Fact]
    public async Task ProbeAsync_FakeServerThrottlesEveryTry_UnavailableAndTransientForTheWorkflow()
    {
        var dispatcher = Dispatcher(attempts: 3);
        await dispatcher.StartAsync(Launch("profile-a"), CancellationToken.None);
        _fake.Interrupt(HttpStatusCode.TooManyRequests, times: 100);

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => dispatcher.ProbeAsync(RunId, "profile-a", TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(3, Count("GET /apis/batch/v1/namespaces/cki-jobs/jobs/"));
        Assert.Contains("was asked to read Jobs 3 times and answered 429 TooManyRequests every time", error.Message, StringComparison.Ordinal);
        // The probe activity fails with this error: the workflow's retry policy runs it again instead of failing the run.
        Assert.True(StepRetries.IsTransient(Failure(error)));
    }

    [Fact]
    public async Task StartAsync_FakeServerForbidden403_NotRetriedAndNotTransient()
    {
        _fake.Refuse = HttpStatusCode.Forbidden;

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Dispatcher().StartAsync(Launch("profile-a"), CancellationToken.None));

        Assert.Single(_fake.Requests);
        Assert.False(StepRetries.IsTransient(Failure(error)));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    public async Task IsTransient_BareClientErrorFromFakeServer_ByItsStatus(HttpStatusCode status, bool transient)
    {
        // A client without the dispatcher's handler: the exception KubernetesClient itself throws, as an activity would report it.
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = _fake.Address.ToString() });
        _fake.Interrupt(status, times: 1);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.BatchV1.ListNamespacedJobAsync("cki-jobs"));

        Assert.Equal(transient, StepRetries.IsTransient(Failure(error)));
    }

    private static TaskFailureDetails Failure(Exception error) => new(error.GetType().FullName!, error.Message, error.StackTrace, null, null);
}
