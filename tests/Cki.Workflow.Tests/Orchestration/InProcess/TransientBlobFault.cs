using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A blob pipeline policy that fails the first <paramref name="times"/> requests of <paramref name="method"/> on a path
/// ending with <paramref name="pathSuffix"/> with <paramref name="status"/> (503 by default, as a busy storage account
/// answers); with <paramref name="armedAfter"/> (method and path suffix), only requests after that one succeeded. Placed
/// per call, before the Azure SDK's own retries, so it stands for an error those retries did not absorb.
/// </summary>
internal sealed class TransientBlobFault(string method, string pathSuffix, int times = 1, int status = 503, (string Method, string PathSuffix)? armedAfter = null)
    : HttpPipelinePolicy
{
    private int _left = times;
    private int _injected;
    private volatile bool _armed = armedAfter is null;

    /// <summary>How many requests it failed.</summary>
    public int Injected => _injected;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inject(message);
        ProcessNext(message, pipeline);
        Arm(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inject(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Arm(message);
    }

    private static bool Matches(HttpMessage message, string method, string pathSuffix) =>
        message.Request.Method.Method == method && message.Request.Uri.Path.EndsWith(pathSuffix, StringComparison.Ordinal);

    private void Inject(HttpMessage message)
    {
        if (_armed && Matches(message, method, pathSuffix) && Interlocked.Decrement(ref _left) >= 0)
        {
            Interlocked.Increment(ref _injected);
            throw new RequestFailedException(status, $"Service request failed.\nStatus: {status} (injected by the test)\nErrorCode: Injected", "Injected", null);
        }
    }

    private void Arm(HttpMessage message)
    {
        if (armedAfter is { } after && Matches(message, after.Method, after.PathSuffix) && message.Response.Status < 300)
        {
            _armed = true;
        }
    }
}
