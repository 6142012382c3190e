using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.DurableTask;

namespace Cki.Workflow.Orchestration;

/// <summary>
/// The retry policy of every activity the orchestrations call (docs/architecture.md, "Retries are bounded"): the
/// activities read and write blobs, and a transient storage error that outlives the Azure SDK's own retries must not
/// fail a whole run. Only transient failures are retried (<see cref="IsTransient"/>); a bad input, a terminated run or
/// a conflict fails at once. Every activity is idempotent (fixed blob names, each replaced whole), so running one again
/// is safe. Replay-safe: constants only.
/// </summary>
public static partial class StepRetries
{
    /// <summary>Runs of one activity at most, the first included.</summary>
    public const int MaxAttempts = 4;

    /// <summary>The wait before the first retry; each later wait doubles it (2 s, 4 s, 8 s).</summary>
    public static readonly TimeSpan FirstRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>How the wait grows between retries.</summary>
    public const double BackoffCoefficient = 2;

    /// <summary>The longest wait between two runs.</summary>
    public static readonly TimeSpan MaxRetryInterval = TimeSpan.FromSeconds(30);

    // Exception types a storage call throws when storage, or the way to it, failed for a while (exact names: subclasses
    // such as FileNotFoundException are not transient).
    private static readonly HashSet<string> TransientTypes = new(StringComparer.Ordinal)
    {
        "Azure.RequestFailedException",
        "System.Net.Http.HttpRequestException",
        "System.Net.Sockets.SocketException",
        "System.TimeoutException",
        "System.IO.IOException",
        "Grpc.Core.RpcException", // the Durable Task backend, asked by the settle activity
        "Cki.Workflow.Dispatch.KubernetesUnavailableException", // the Kubernetes API stayed throttled, failing or silent through its retries
        "Polly.Timeout.TimeoutRejectedException", // a try of a Kubernetes API call that got no answer in time
        KubernetesAnswer, // an answer of the Kubernetes API: transient by its status (below)
    };

    private const string KubernetesAnswer = "k8s.Autorest.HttpOperationException";

    /// <summary>The options to pass to every <c>CallActivityAsync</c> of the orchestrations.</summary>
    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(MaxAttempts, FirstRetryInterval, BackoffCoefficient, MaxRetryInterval)
    {
        HandleFailure = IsTransient,
    });

    /// <summary>
    /// Whether a failed activity may succeed when run again: a storage or network error (a request that failed with a
    /// server error, 408 or 429, or got no answer), also when the Azure SDK reports it wrapped after its own retries.
    /// The Kubernetes API the same way: throttled (429), failing (5xx) or silent after the dispatcher's own retries. A client
    /// error (404, 403, 409, 412) and every other exception (bad input, terminated run) are not.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.ErrorType == "System.AggregateException")
        {
            return failure.InnerFailure is { } inner && IsTransient(inner);
        }

        if (!TransientTypes.Contains(failure.ErrorType))
        {
            return false;
        }

        if (failure.ErrorType == KubernetesAnswer)
        {
            // "Operation returned an invalid status code 'TooManyRequests'": the status by its name.
            return KubernetesStatusPattern().Match(failure.ErrorMessage) is { Success: true } named
                && Enum.TryParse<System.Net.HttpStatusCode>(named.Groups[1].Value, out var code)
                && Dispatch.KubernetesRetryHandler.IsTransient(code);
        }

        if (failure.ErrorType != "Azure.RequestFailedException" || StatusPattern().Match(failure.ErrorMessage) is not { Success: true } match)
        {
            return true;
        }

        var status = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return status is 408 or 429 or >= 500 or 0;
    }

    [GeneratedRegex(@"status code '(\w+)'", RegexOptions.CultureInvariant)]
    private static partial Regex KubernetesStatusPattern();

    // The status line of a RequestFailedException's message ("Status: 503 (Service Unavailable)").
    [GeneratedRegex(@"Status: (\d{1,3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusPattern();
}
