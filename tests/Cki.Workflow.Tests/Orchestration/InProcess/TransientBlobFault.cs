using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A blob pipeline policy that fails the first <paramref name="times"/> requests of <paramref name="method"/> on a blob
/// whose path ends with <paramref name="pathSuffix"/> with a 503, as a busy storage account answers. Placed per call,
/// before the Azure SDK's own retries, so it stands for an error those retries did not absorb.
/// </summary>
internal sealed class TransientBlobFault(string method, string pathSuffix, int times = 1) : HttpPipelinePolicy
{
    private int _left = times;
    private int _injected;

    /// <summary>How many requests it failed.</summary>
    public int Injected => _injected;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inject(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inject(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Inject(HttpMessage message)
    {
        if (message.Request.Method.Method == method && message.Request.Uri.Path.EndsWith(pathSuffix, StringComparison.Ordinal) && Interlocked.Decrement(ref _left) >= 0)
        {
            Interlocked.Increment(ref _injected);
            throw new RequestFailedException(503, "Service request failed.\nStatus: 503 (The server is busy.)\nErrorCode: ServerBusy", "ServerBusy", null);
        }
    }
}
