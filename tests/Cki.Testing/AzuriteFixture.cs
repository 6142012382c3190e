using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Xunit;

namespace Cki.Testing;

/// <summary>
/// A real Azurite (from the repository's node_modules) on free loopback ports, so two test runs never collide.
/// Started once per test class or collection, waited for until it answers, stopped by PID.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key; it is public and only valid against the emulator.</summary>
    public const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DevAccount = "devstoreaccount1";

    private Process? _process;

    /// <summary>Connection string of the running emulator.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The blob endpoint's port.</summary>
    public int BlobPort { get; private set; }

    /// <summary>A client of the emulator's blob service.</summary>
    public BlobServiceClient Blobs => new(ConnectionString);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' in {RepositoryPaths.Root}.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var info = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", Port(blob),
                "--queueHost", "127.0.0.1", "--queuePort", Port(queue),
                "--tableHost", "127.0.0.1", "--tablePort", Port(table),
            })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info)!;
            var errors = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            // All three services must answer: Azurite exits when any one of its ports turns out to be taken (another
            // process's outgoing connection may hold a "free" port by now), even after the blob service answered.
            if (await WaitUntilListening(process, blob).ConfigureAwait(false) && await WaitUntilListening(process, queue).ConfigureAwait(false)
                && await WaitUntilListening(process, table).ConfigureAwait(false) && await StillRunning(process).ConfigureAwait(false))
            {
                _process = process;
                BlobPort = blob;
                ConnectionString = string.Create(CultureInfo.InvariantCulture,
                    $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};BlobEndpoint=http://127.0.0.1:{blob}/{DevAccount};QueueEndpoint=http://127.0.0.1:{queue}/{DevAccount};TableEndpoint=http://127.0.0.1:{table}/{DevAccount};");
                return;
            }

            Stop(process);
            if (attempt == 3)
            {
                string text;
                lock (errors)
                {
                    text = errors.ToString();
                }

                throw new InvalidOperationException($"Azurite did not answer on 127.0.0.1:{blob} within 30 s: {text}");
            }
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
        }

        return Task.CompletedTask;
    }

    private static async Task<bool> WaitUntilListening(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        return false;
    }

    private static async Task<bool> StillRunning(Process process)
    {
        await Task.Delay(300).ConfigureAwait(false);
        return !process.HasExited;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
