using System.Diagnostics;
using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Cki.Host.Backend;

/// <summary>
/// Starts Azurite when the storage connection is the development one and nothing answers on its blob port:
/// the embedded default needs no cloud account and no separate step. Azurite comes from the repository's
/// <c>node_modules</c> (<c>npm ci</c>); its data lives in <c>.cache/azurite</c> by default, so runs survive restarts.
/// </summary>
public sealed class AzuriteLauncher : IDisposable
{
    private readonly Process? _process;

    private AzuriteLauncher(Process? process) => _process = process;

    /// <summary>
    /// Starts Azurite if needed for <paramref name="connectionString"/>, keeping its data in <paramref name="location"/>
    /// (in memory when null); otherwise does nothing.
    /// </summary>
    public static async Task<AzuriteLauncher> EnsureAsync(string connectionString, string? repositoryRoot, string? location, CancellationToken cancellationToken)
    {
        var blob = new BlobServiceClient(connectionString).Uri;
        var local = blob.Host is "127.0.0.1" or "localhost" && blob.AbsolutePath.StartsWith("/devstoreaccount1", StringComparison.Ordinal);
        if (!local || await AnswersAsync(blob.Port, cancellationToken).ConfigureAwait(false))
        {
            return new AzuriteLauncher(null);
        }

        var root = repositoryRoot ?? throw new InvalidOperationException(
            $"Nothing answers on 127.0.0.1:{blob.Port} and no repository was found to start Azurite from: start Azurite, or set Cki:Storage.");
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' in {root}.");
        }

        if (location is not null)
        {
            Directory.CreateDirectory(location);
        }

        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] persistence = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var argument in new[]
        {
            script, "--silent", "--skipApiVersionCheck", "--disableTelemetry", persistence[0], persistence[^1],
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob.Port}", "--queueHost", "127.0.0.1", "--queuePort", $"{blob.Port + 1}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{blob.Port + 2}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var launcher = new AzuriteLauncher(process);
        var clock = Stopwatch.StartNew();
        while (!await AnswersAsync(blob.Port + 2, cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                launcher.Dispose();
                throw new InvalidOperationException($"Azurite did not answer on 127.0.0.1:{blob.Port} within 30 s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return launcher;
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops Azurite if this launcher started it.</summary>
    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
    }
}
