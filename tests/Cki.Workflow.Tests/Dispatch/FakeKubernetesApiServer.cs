using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Tests.Dispatch;

/// <summary>
/// A FAKE Kubernetes API server: no real one can run here, so this small Kestrel app on loopback serves the few
/// endpoints the kubernetes dispatcher calls (create, read, list and delete batch/v1 Jobs; list Pods), keeps Jobs in
/// memory by name (the dispatcher uses one namespace; lists check it), and records every request. Label selectors of the form <c>a=b,c=d</c> are honoured; nothing else of the
/// real server's behaviour (admission, controllers, watch) is imitated: tests set Job and Pod status by hand.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, V1Job> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<V1Pod>> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Interruption> _interruptions = new();
    private readonly DateTime _epoch = DateTime.UtcNow.AddTicks(-(DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond));
    private int _createdJobs;

    private FakeKubernetesApiServer(WebApplication app) => _app = app;

    /// <summary>The server's address (http, loopback, a free port).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Every request, as <c>METHOD path?query</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The delete options of every collection delete, in order.</summary>
    public ConcurrentQueue<V1DeleteOptions> DeleteOptions { get; } = new();

    /// <summary>When set, every request is answered with this status (e.g. 403) and a Kubernetes Status body.</summary>
    public HttpStatusCode? Refuse { get; set; }

    /// <summary>
    /// The next <paramref name="times"/> requests are answered with <paramref name="status"/> (e.g. 429 as the API server's
    /// priority and fairness throttles, 503 as an overloaded server) and, when given, a <c>Retry-After</c> of whole seconds.
    /// </summary>
    public void Interrupt(HttpStatusCode status, int times, int? retryAfterSeconds = null)
    {
        for (var i = 0; i < times; i++)
        {
            _interruptions.Enqueue(new Interruption(status, retryAfterSeconds, null));
        }
    }

    /// <summary>The next <paramref name="times"/> requests get no answer for <paramref name="delay"/> (then are served, if the client still waits).</summary>
    public void Stall(TimeSpan delay, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _interruptions.Enqueue(new Interruption(null, null, delay));
        }
    }

    /// <summary>The Jobs the server holds, by name.</summary>
    public IReadOnlyDictionary<string, V1Job> Jobs => _jobs;

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<FakeKubernetesApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeKubernetesApiServer(app);
        app.Use(server.RecordAsync);
        app.MapPost("/apis/batch/v1/namespaces/{ns}/jobs", server.CreateJobAsync);
        app.MapGet("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name) => server.ReadJob(ns, name));
        app.MapGet("/apis/batch/v1/namespaces/{ns}/jobs", (string ns, HttpContext context) => server.ListJobs(ns, context.Request.Query["labelSelector"]));
        app.MapPatch("/apis/batch/v1/namespaces/{ns}/jobs/{name}", server.PatchJobAsync);
        app.MapDelete("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name) => server.DeleteJob(ns, name));
        app.MapDelete("/apis/batch/v1/namespaces/{ns}/jobs", server.DeleteJobsAsync);
        app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, HttpContext context) => server.ListPods(ns, context.Request.Query["labelSelector"]));
        await app.StartAsync().ConfigureAwait(false);
        server.Address = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>Sets a Job's status, as the Job controller would.</summary>
    public void SetStatus(string name, V1JobStatus status) => _jobs[name].Status = status;

    /// <summary>Gives a Job a pod (labelled <c>job-name</c>), as the Job controller would.</summary>
    public void AddPod(string jobName, V1PodStatus status, DateTime? created = null)
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = $"{jobName}-{_pods.GetValueOrDefault(jobName)?.Count ?? 0}",
                NamespaceProperty = _jobs[jobName].Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(_jobs[jobName].Spec.Template.Metadata.Labels) { ["job-name"] = jobName },
                CreationTimestamp = created ?? DateTime.UtcNow,
            },
            Spec = new V1PodSpec { NodeName = "aks-gpu-0", Containers = [] },
            Status = status,
        };
        _pods.AddOrUpdate(jobName, _ => [pod], (_, list) => [.. list, pod]);
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
        if (Refuse is { } status)
        {
            await WriteAsync(context, status, Status((int)status, status.ToString(), "jobs.batch is forbidden: User \"fake\" cannot create resource \"jobs\" in the namespace")).ConfigureAwait(false);
            return;
        }

        if (_interruptions.TryDequeue(out var interruption))
        {
            if (interruption.Status is { } answer)
            {
                if (interruption.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await WriteAsync(context, answer, Status((int)answer, answer.ToString(), "the fake server was told to answer so")).ConfigureAwait(false);
                return;
            }

            try
            {
                await Task.Delay(interruption.Delay!.Value, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up on this try
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task CreateJobAsync(string ns, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var job = KubernetesJson.Deserialize<V1Job>(await reader.ReadToEndAsync().ConfigureAwait(false));
        job.Metadata.NamespaceProperty = ns;
        // Whole seconds as the real server keeps them, one apart so that "oldest first" is well defined.
        job.Metadata.CreationTimestamp = _epoch.AddSeconds(Interlocked.Increment(ref _createdJobs));
        if (!_jobs.TryAdd(job.Metadata.Name, job))
        {
            await WriteAsync(context, HttpStatusCode.Conflict, Status(409, "AlreadyExists", $"jobs.batch \"{job.Metadata.Name}\" already exists")).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, HttpStatusCode.Created, job).ConfigureAwait(false);
    }

    // A JSON merge patch of spec.suspend only (what the dispatcher's admission sends); the content type is checked.
    private async Task<IResult> PatchJobAsync(string ns, string name, HttpContext context)
    {
        if (!_jobs.TryGetValue(name, out var job) || job.Metadata.NamespaceProperty != ns)
        {
            return NotFound(name);
        }

        if (context.Request.ContentType?.StartsWith("application/merge-patch+json", StringComparison.Ordinal) != true)
        {
            return Json(HttpStatusCode.UnsupportedMediaType, Status(415, "UnsupportedMediaType", $"the fake takes merge patches only, not {context.Request.ContentType}"));
        }

        using var reader = new StreamReader(context.Request.Body);
        var patch = System.Text.Json.Nodes.JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false));
        if (patch?["spec"]?["suspend"] is { } suspend)
        {
            job.Spec.Suspend = (bool)suspend;
        }

        return Json(HttpStatusCode.OK, job);
    }

    private IResult ReadJob(string ns, string name) =>
        _jobs.TryGetValue(name, out var job) && job.Metadata.NamespaceProperty == ns ? Json(HttpStatusCode.OK, job) : NotFound(name);

    private IResult ListJobs(string ns, string? selector) =>
        Json(HttpStatusCode.OK, new V1JobList { ApiVersion = "batch/v1", Kind = "JobList", Metadata = new V1ListMeta(), Items = [.. Matching(ns, selector)] });

    private IResult DeleteJob(string ns, string name)
    {
        if (!_jobs.TryGetValue(name, out var job) || job.Metadata.NamespaceProperty != ns || !_jobs.TryRemove(name, out _))
        {
            return NotFound(name);
        }

        _pods.TryRemove(name, out _); // at once: the real garbage collector takes a while
        return Json(HttpStatusCode.OK, Status(200, "", "deleted"));
    }

    private async Task<IResult> DeleteJobsAsync(string ns, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        if (body.Length > 0)
        {
            DeleteOptions.Enqueue(KubernetesJson.Deserialize<V1DeleteOptions>(body));
        }

        string? selector = context.Request.Query["labelSelector"];
        var removed = new List<V1Job>();
        foreach (var job in Matching(ns, selector).ToList())
        {
            if (_jobs.TryRemove(job.Metadata.Name, out var gone))
            {
                removed.Add(gone);
                _pods.TryRemove(job.Metadata.Name, out _); // at once: the real garbage collector takes a while
            }
        }

        return Json(HttpStatusCode.OK, new V1JobList { ApiVersion = "batch/v1", Kind = "JobList", Metadata = new V1ListMeta(), Items = removed });
    }

    private IResult ListPods(string ns, string? selector)
    {
        var wanted = Selector(selector);
        var pods = _pods.Values.SelectMany(p => p)
            .Where(p => p.Metadata.NamespaceProperty == ns && wanted.All(w => p.Metadata.Labels.TryGetValue(w.Key, out var value) && value == w.Value))
            .ToList();
        return Json(HttpStatusCode.OK, new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(), Items = pods });
    }

    private IEnumerable<V1Job> Matching(string ns, string? selector)
    {
        var wanted = Selector(selector);
        return _jobs.Values.Where(j => j.Metadata.NamespaceProperty == ns
            && wanted.All(w => j.Metadata.Labels is { } labels && labels.TryGetValue(w.Key, out var value) && value == w.Value));
    }

    private static Dictionary<string, string> Selector(string? selector) =>
        (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static IResult NotFound(string name) =>
        Json(HttpStatusCode.NotFound, Status(404, "NotFound", $"jobs.batch \"{name}\" not found"));

    private static IResult Json(HttpStatusCode status, object body) =>
        Results.Text(Serialize(body), "application/json", statusCode: (int)status);

    private static string Serialize(object body) =>
        body is Dictionary<string, object> plain ? System.Text.Json.JsonSerializer.Serialize(plain) : KubernetesJson.Serialize(body);

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, object body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Serialize(body)).ConfigureAwait(false);
    }

    // A Kubernetes Status document (the client's V1Status has no serializer of its own).
    private static Dictionary<string, object> Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = code < 400 ? "Success" : "Failure", ["code"] = code, ["reason"] = reason, ["message"] = message,
    };

    private sealed record Interruption(HttpStatusCode? Status, int? RetryAfterSeconds, TimeSpan? Delay);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
