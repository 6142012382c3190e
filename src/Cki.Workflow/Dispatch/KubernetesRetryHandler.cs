using System.Net;
using Cki.Workflow.Logging;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// Retries of the Kubernetes API, under the client: an answer that says "later" (429 Too Many Requests, 408, any 5xx),
/// a call that found no server, and a call that got no answer within <see cref="KubernetesDispatcherOptions.CallTimeout"/>
/// are tried again, up to <see cref="KubernetesDispatcherOptions.CallAttempts"/> tries in all. The wait is what the
/// server asks in <c>Retry-After</c> (the API server's priority and fairness sends it with 429), capped at
/// <see cref="KubernetesDispatcherOptions.MaxRetryAfter"/>, else an exponential backoff from
/// <see cref="KubernetesDispatcherOptions.RetryDelay"/> with jitter. Retrying a create is safe: a Job that the first try
/// made answers 409 on the next, which the dispatcher adopts.
/// </summary>
public sealed class KubernetesRetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>A handler with the options' retries; <paramref name="logger"/> hears of every retry.</summary>
    public KubernetesRetryHandler(KubernetesDispatcherOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = time ?? TimeProvider.System;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.CallAttempts - 1,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, clock)),
                OnRetry = args =>
                {
                    if (logger is not null)
                    {
                        KubernetesLog.CallRetried(logger, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, Describe(args.Outcome));
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.CallTimeout)
            .Build();
    }

    /// <summary>Whether an answer of the API server says "try again later": 408, 429 or a server error.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token => await base.SendAsync(request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => IsTransient(response.StatusCode),
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        _ => false,
    };

    // The server's Retry-After (seconds or a date), capped; null leaves the wait to the backoff.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } at ? at - time.GetUtcNow() : null);
        return wait is { } asked ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, cap.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Result is { } response
        ? $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {response.StatusCode}"
        : outcome.Exception?.Message ?? "no answer";
}
