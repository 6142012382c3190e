using System.Diagnostics;
using System.Text;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Tests.Jobs;

/// <summary>A real <c>cki-compute worker</c> process (the binary built beside the tests), driven over its stdin and stdout.</summary>
internal sealed class WorkerSession : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly BoundedLineReader _reader;
    private readonly StringBuilder _stderr = new();

    public WorkerSession(IReadOnlyDictionary<string, string> environment, double idleSeconds = 120)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cki-compute.dll"), "worker", "--idle-seconds", idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) { _stderr.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        _reader = new BoundedLineReader(_process.StandardOutput.BaseStream, WorkerProtocol.MaxLineBytes);
    }

    public Process Process => _process;

    /// <summary>Writes raw bytes (a line or anything else) to the worker's stdin.</summary>
    public void Write(byte[] bytes)
    {
        _process.StandardInput.BaseStream.Write(bytes);
        _process.StandardInput.BaseStream.Flush();
    }

    public void Send(WorkerMessage message) => Write(WorkerProtocol.Line(message));

    public void Run(string job, string spec) => Send(new WorkerMessage { Type = WorkerMessage.Run, Job = job, Spec = spec });

    /// <summary>The next message; fails (never hangs) when none comes within two minutes or the worker ends.</summary>
    public async Task<WorkerMessage> NextAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        var line = await _reader.ReadLineAsync(patience.Token) ?? throw new InvalidOperationException($"the worker closed its stdout; stderr: {Stderr}");
        Assert.False(line.TooLong, "the worker wrote a line over the protocol's bound");
        return WorkerProtocol.Parse(line.Bytes);
    }

    /// <summary>Messages up to and including the first of <paramref name="type"/>.</summary>
    public async Task<List<WorkerMessage>> UntilAsync(string type)
    {
        var seen = new List<WorkerMessage>();
        do
        {
            seen.Add(await NextAsync());
        }
        while (seen[^1].Type != type);
        return seen;
    }

    /// <summary>The worker's exit code once it has exited; fails when it still runs after two minutes.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(patience.Token);
        return _process.ExitCode;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
