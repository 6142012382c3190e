using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Cki.Host.Demo;

/// <summary>
/// Counts the blob requests the host's storage client sends, by operation (list, read, write, head, delete) and by the
/// kind of blob (the file name: <c>spec.json</c>, <c>result.json</c>, <c>terminated.json</c>, trigger receipts, ...),
/// for the bench's profile of what one job costs. Counted as they go out, before any answer.
/// </summary>
public sealed class BlobOperationCounts : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Requests so far, by <c>{operation} {kind}</c>.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>All requests so far.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Starts counting anew.</summary>
    public void Clear() => _counts.Clear();

    /// <summary>The requests so far, by kind, as they stand now (later requests do not change it).</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts, StringComparer.Ordinal);

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    /// <inheritdoc />
    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>The key a request counts under: <c>{operation} {kind}</c>.</summary>
    public static string Key(string method, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var query = uri.Query;
        if (query.Contains("comp=list", StringComparison.Ordinal))
        {
            return "list";
        }

        var operation = method switch
        {
            "GET" => "read",
            "PUT" => "write",
            "HEAD" => "head",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        var path = uri.AbsolutePath;
        var file = path[(path.LastIndexOf('/') + 1)..];
        var kind = path.Contains("/receipts/", StringComparison.Ordinal) ? "receipts"
            : file.EndsWith(".compatibility.json", StringComparison.Ordinal) ? "shard summaries"
            : file is "spec.json" or "result.json" or "started.json" or "terminated.json" ? file
            : query.Contains("restype=container", StringComparison.Ordinal) ? "container"
            : "other";
        return $"{operation} {kind}";
    }

    private void Count(HttpMessage message) => _counts.AddOrUpdate(Key(message.Request.Method.Method, message.Request.Uri.ToUri()), 1, (_, n) => n + 1);
}
