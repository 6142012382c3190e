using System.Net;
using System.Net.Sockets;

namespace Cki.Testing;

/// <summary>
/// A storage endpoint that hangs: a loopback port that accepts connections and never answers, so a real job reading
/// its spec from it runs until it is cancelled or killed (what a stalled storage account does to a job).
/// </summary>
public sealed class SilentStorage : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Starts listening.</summary>
    public SilentStorage()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>A connection string of Azurite's development account on this endpoint.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>The URL of a job's spec on this endpoint, with a (meaningless) SAS so that a job reads it without any credential.</summary>
    public Uri SpecUrl(string runId, string jobId) => new($"http://127.0.0.1:{Port}/devstoreaccount1/runs/{runId}/jobs/{jobId}/spec.json?sv=2024-08-04&sr=b&sp=r&sig=c2lsZW50");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                lock (_accepted)
                {
                    _accepted.Add(socket); // held open, never read from or written to
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }

        _stop.Dispose();
    }
}
