using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cki.Host.Tests.Workflow;
using Cki.Testing;

namespace Cki.Host.Tests.Cli;

/// <summary>
/// Stopping a real <c>cki-host serve</c> process with Ctrl+C (SIGINT) or SIGTERM: it stops everything it started (here the
/// Azurite it launched), exits 0, without an unhandled exception, within a bounded time.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ShutdownTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_Signal_StopsItsAzuriteAndExitsZero(string signal)
    {
        using var scratch = new ScratchFolder();
        var port = FreeTriple();
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.DevKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{port + 1}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port + 2}/devstoreaccount1;";
        var host = Path.Combine(RepositoryPaths.Root, "src", "Cki.Host", "bin", RepositoryPaths.Configuration, "net10.0", "cki-host.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            host, "serve", $"--Cki:Storage={storage}", "--Cki:Urls=http://127.0.0.1:0", "--Cki:AzuriteLocation=", $"--Cki:TaskHub=Stop{signal}",
            $"--Cki:ApiTokenFile={scratch.File("token")}", $"--Cki:LogFolder={scratch.File("logs")}", "--Cki:NightlySchedule=",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var ready = new TaskCompletionSource();
        var output = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Contains("Ctrl+C stops", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
        });
        try
        {
            await Task.WhenAny(ready.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(ready.Task.IsCompleted, $"cki-host did not start: {(process.HasExited ? await errors : "")}");
            Assert.True(await AnswersAsync(port), "the host did not start Azurite; the test proves nothing");

            using (var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]))
            {
                await kill.WaitForExitAsync();
            }

            var clock = Stopwatch.StartNew();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, process.ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"stopping took {clock.Elapsed}");
            Assert.DoesNotContain("Unhandled exception", await errors, StringComparison.Ordinal);
            Assert.False(await AnswersAsync(port), "the Azurite that cki-host started still answers");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await output.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    // Three consecutive free ports (blob, queue, table), as the host's launcher uses them.
    private static int FreeTriple()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port < 65000 && Enumerable.Range(1, 2).All(i => IsFree(port + i)))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no three consecutive free ports");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
