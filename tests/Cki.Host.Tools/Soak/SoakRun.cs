using System.Diagnostics;
using System.Text.Json;
using System.Text;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Runs;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tools.Soak;

/// <summary>
/// A bounded soak of a running host, as an outside tester would do it: families dropped again and again (whole, file
/// by file, truncated, empty, the same bytes once more) and runs terminated in the middle, while every family's
/// <c>latest.json</c> is watched. Rules checked: <c>latest.json</c> never moves back to older inputs and never names a
/// terminated run; a terminated run leaves nothing under <c>integrated/</c>; every failed run says why; at the end
/// every family's <c>latest.json</c> names its last drop (nothing lost, nothing stale). Memory is sampled, not judged.
/// </summary>
public sealed class SoakRun(WorkflowHost host, SoakOptions options, Action<string> log)
{
    private const string Ready = "_READY";
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastGood = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _good = new(StringComparer.Ordinal);
    private readonly HashSet<string> _terminated = new(StringComparer.Ordinal);
    private readonly SoakReport _report = new();

    /// <summary>Runs the soak; the report lists every violation found.</summary>
    public async Task<SoakReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var families = Enumerable.Range(1, options.Families).Select(f => $"soak{f}").ToList();
        foreach (var family in families)
        {
            await PutAsync($"{family}/cki.yaml", Encoding.UTF8.GetBytes(SoakCheckpoints.Manifest), cancellationToken).ConfigureAwait(false);
        }

        SampleMemory();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchAsync(families, watching.Token);
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Steps; i++)
        {
            var family = families[i % families.Count];
            var step = _lastGood.ContainsKey(family) ? Pick(random) : SoakStep.Drop;
            _report.Steps[step] = _report.Steps.GetValueOrDefault(step) + 1;
            await StepAsync(family, step, cancellationToken).ConfigureAwait(false);
            if (i == options.Steps / 2)
            {
                SampleMemory();
            }

            await Task.Delay(options.Pace, cancellationToken).ConfigureAwait(false);
        }

        // Every family ends on a good drop, so that its last published run must be exactly that drop.
        foreach (var family in families)
        {
            await StepAsync(family, SoakStep.Drop, cancellationToken).ConfigureAwait(false);
        }

        _report.StepSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await DrainAsync(families, cancellationToken).ConfigureAwait(false);
        _report.DrainSeconds = clock.Elapsed.TotalSeconds;
        await watching.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        await CheckRunsAsync(cancellationToken).ConfigureAwait(false);
        SampleMemory();
        return _report;
    }

    private static SoakStep Pick(Random random) => random.Next(20) switch
    {
        < 8 => SoakStep.Drop,
        < 11 => SoakStep.Trickle,
        < 13 => SoakStep.Truncated,
        < 14 => SoakStep.Empty,
        < 16 => SoakStep.Redrop,
        _ => SoakStep.Terminate,
    };

    private async Task StepAsync(string family, SoakStep step, CancellationToken cancellationToken)
    {
        var version = step is SoakStep.Redrop or SoakStep.Terminate ? _versions[family] : _versions[family] = _versions.GetValueOrDefault(family) + 1;
        var seed = Seed(family, version);
        switch (step)
        {
            case SoakStep.Drop:
            case SoakStep.Trickle:
                await PutAsync(File(family, "a", version), SoakCheckpoints.Model(seed), cancellationToken).ConfigureAwait(false);
                if (step == SoakStep.Trickle)
                {
                    await Task.Delay(300, cancellationToken).ConfigureAwait(false);
                }

                await PutAsync(File(family, "b", version), SoakCheckpoints.Model(seed + 500), cancellationToken).ConfigureAwait(false);
                _lastGood[family] = version;
                lock (_good)
                {
                    (_good.TryGetValue(family, out var good) ? good : _good[family] = []).Add(version);
                }

                break;
            case SoakStep.Truncated:
                await PutAsync(File(family, "a", version), SoakCheckpoints.Model(seed), cancellationToken).ConfigureAwait(false);
                await PutAsync(File(family, "b", version), SoakCheckpoints.Truncated(seed), cancellationToken).ConfigureAwait(false);
                break;
            case SoakStep.Empty:
                await PutAsync(File(family, "a", version), SoakCheckpoints.Empty(), cancellationToken).ConfigureAwait(false);
                await PutAsync(File(family, "b", version), SoakCheckpoints.Empty(), cancellationToken).ConfigureAwait(false);
                break;
            case SoakStep.Redrop:
                if (_lastGood[family] == version)
                {
                    // The same bytes again: new ETags, same content.
                    await PutAsync(File(family, "a", version), SoakCheckpoints.Model(seed), cancellationToken).ConfigureAwait(false);
                    await PutAsync(File(family, "b", version), SoakCheckpoints.Model(seed + 500), cancellationToken).ConfigureAwait(false);
                }

                return;
            case SoakStep.Terminate:
                await TerminateRunningAsync(family, cancellationToken).ConfigureAwait(false);
                return;
        }

        if (step != SoakStep.Trickle)
        {
            // As a producer must: the marker a second after the last file (storage times have one-second resolution).
            await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken).ConfigureAwait(false);
            await PutAsync($"{family}/{Ready}", [], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TerminateRunningAsync(string family, CancellationToken cancellationToken)
    {
        var terminator = new RunTerminator(host.Client, host.Storage, host.App.Services.GetRequiredService<IJobDispatcher>());
        await foreach (var run in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = family + "-", Statuses = [OrchestrationRuntimeStatus.Running] })
            .WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // A run that had published before the terminate came is done and left alone; one that was terminated must
            // never be named by latest.json from now on.
            if ((await terminator.TerminateAsync(run.InstanceId, "terminated by the soak", cancellationToken).ConfigureAwait(false)).Terminated)
            {
                lock (_terminated)
                {
                    _terminated.Add(run.InstanceId);
                }
            }

            return;
        }
    }

    // Reads every family's latest.json over and over: it must only move forward and never name a terminated run.
    private async Task WatchAsync(IReadOnlyList<string> families, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, (int A, int B)>(StringComparer.Ordinal);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var family in families)
                {
                    if (await LatestAsync(family, cancellationToken).ConfigureAwait(false) is not { } latest)
                    {
                        continue;
                    }

                    _report.PointerReads++;
                    lock (_good)
                    {
                        if (!_good[family].Contains(latest.A) || latest.A != latest.B)
                        {
                            Violate($"{family}: latest.json names v{latest.A}/v{latest.B} ({latest.RunId}), not a good drop");
                        }
                    }

                    lock (_terminated)
                    {
                        if (_terminated.Contains(latest.RunId))
                        {
                            Violate($"{family}: latest.json names {latest.RunId}, which was terminated");
                        }
                    }

                    if (seen.TryGetValue(family, out var before) && (latest.A < before.A || latest.B < before.B))
                    {
                        Violate($"{family}: latest.json went back from v{before.A}/v{before.B} to v{latest.A}/v{latest.B} ({latest.RunId})");
                    }

                    seen[family] = (latest.A, latest.B);
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Waits until no run of the soak is pending or running and every family's latest.json names its last good drop.
    private async Task DrainAsync(IReadOnlyList<string> families, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < options.Drain)
        {
            var busy = false;
            await foreach (var run in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "soak" }).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                busy |= !run.IsCompleted;
            }

            var current = true;
            foreach (var family in families)
            {
                var latest = await LatestAsync(family, cancellationToken).ConfigureAwait(false);
                current &= latest is { } l && l.A == _lastGood[family] && l.B == _lastGood[family];
            }

            if (!busy && current)
            {
                return;
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        foreach (var family in families)
        {
            var latest = await LatestAsync(family, cancellationToken).ConfigureAwait(false);
            Violate($"{family}: after {options.Drain.TotalSeconds:F0} s latest.json names {(latest is { } l ? $"v{l.A}/v{l.B} ({l.RunId})" : "nothing")}, not the last drop v{_lastGood[family]}");
        }
    }

    private async Task CheckRunsAsync(CancellationToken cancellationToken)
    {
        await foreach (var run in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "soak", FetchInputsAndOutputs = true })
            .WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var outcome = run.SerializedCustomStatus?.Contains("\"superseded\"", StringComparison.Ordinal) == true ? "superseded" : run.RuntimeStatus.ToString();
            _report.Runs[outcome] = _report.Runs.GetValueOrDefault(outcome) + 1;
            var family = RunIds.FamilyOf(run.InstanceId);
            if (run.RuntimeStatus == OrchestrationRuntimeStatus.Terminated
                && (await host.Storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(family, run.InstanceId), cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                Violate($"{run.InstanceId}: terminated, yet it has outputs under integrated/{family}/{run.InstanceId}/");
            }

            if (run.RuntimeStatus == OrchestrationRuntimeStatus.Failed && !HasReason(run.SerializedCustomStatus))
            {
                Violate($"{run.InstanceId}: failed without a reason in its status");
            }
        }
    }

    // The custom status of a failed run carries its reason (property "error" in any casing).
    private static bool HasReason(string? status)
    {
        if (status is null)
        {
            return false;
        }

        using var json = JsonDocument.Parse(status);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.EnumerateObject()
            .Any(p => string.Equals(p.Name, "error", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length > 0);
    }

    private async Task<(string RunId, int A, int B)?> LatestAsync(string family, CancellationToken cancellationToken)
    {
        var read = await host.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return null;
        }

        var published = LatestPointer.Read(read.Value.Content) ?? throw new InvalidDataException($"{family}: latest.json names no run.");
        var versions = published.Inputs.ToDictionary(i => i.Source, i => int.Parse(i.Version[1..], System.Globalization.CultureInfo.InvariantCulture));
        return (published.RunId, versions["a"], versions["b"]);
    }

    private async Task PutAsync(string name, byte[] content, CancellationToken cancellationToken) =>
        await host.Storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, name, content, ifMatch: null, cancellationToken).ConfigureAwait(false);

    // Seeds that differ per family and version ("soak3" version 7: 3007) and repeat for the same pair.
    private static int Seed(string family, int version) =>
        int.Parse(family.AsSpan("soak".Length), System.Globalization.CultureInfo.InvariantCulture) * 1000 + version;

    private static string File(string family, string source, int version) => BlobLayout.CheckpointFile(family, source, $"v{version}", CheckpointFileNames.SingleFile);

    private void SampleMemory()
    {
        _report.HeapMegabytes.Add(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0);
        _report.WorkingSetMegabytes.Add(Environment.WorkingSet / 1048576.0);
    }

    private void Violate(string violation)
    {
        lock (_report.Violations)
        {
            if (!_report.Violations.Contains(violation))
            {
                _report.Violations.Add(violation);
                log($"VIOLATION {violation}");
            }
        }
    }
}
