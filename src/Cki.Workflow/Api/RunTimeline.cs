using System.Text.Json;
using Cki.Workflow.Activities;
using Cki.Workflow.Messages;

namespace Cki.Workflow.Api;

/// <summary>One bar of a run's timeline: one run of a step activity, or one attempt of a job.</summary>
/// <param name="Phase">The phase it belongs to (validate, profile, assess, splice, assemble, evaluate, retrain, report, publish).</param>
/// <param name="Name">The job id, or the step (validate, assemble, report, publish).</param>
/// <param name="Kind">The job kind, or <c>step</c>.</param>
/// <param name="Attempt">The attempt (1 for the first start of a job or the first run of a step).</param>
/// <param name="Scheduled">When the orchestration scheduled it.</param>
/// <param name="Started">When the job was handed to the dispatcher (null while not yet; for a step, when it was scheduled).</param>
/// <param name="Ended">When its result arrived, or the attempt was given up; null while it runs.</param>
/// <param name="Outcome">
/// <c>succeeded</c>, <c>failed</c> (it reported a failure, or the run gave up on it after its attempts), <c>retried</c> (this
/// attempt was lost, crashed or hung, and another followed), <c>running</c>, <c>stopped</c> (handed to the dispatcher, then the
/// run ended without its answer and stopped it) or <c>not started</c> (the run ended before the job was handed over).
/// </param>
/// <param name="Reason">Why it failed or was retried; null otherwise.</param>
public sealed record TimelineEntry(string Phase, string Name, string Kind, int Attempt, DateTimeOffset Scheduled, DateTimeOffset? Started, DateTimeOffset? Ended,
    string Outcome, string? Reason);

/// <summary>A run's timeline, taken from its orchestration history.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Started">When the orchestration started.</param>
/// <param name="Ended">When it ended; null while it runs.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Entries">Every step run and job attempt, in the order they were scheduled.</param>
public sealed record RunTimeline(string RunId, DateTimeOffset? Started, DateTimeOffset? Ended, string? Error, IReadOnlyList<TimelineEntry> Entries)
{
    /// <summary>The outcome of a job attempt that the run stopped when it ended (see <see cref="TimelineEntry.Outcome"/>).</summary>
    public const string Stopped = "stopped";

    /// <summary>The outcome of a job that the run ended before handing over.</summary>
    public const string NotStarted = "not started";

    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 64 };

    /// <summary>
    /// Reads the history: a job attempt begins with its <see cref="StartJobActivity"/> being scheduled, starts when that
    /// activity completes, and ends with its result event (<c>job:{jobId}</c>), a probe that found its result, a probe
    /// that found it crashed, hung or lost (then the next attempt gives the reason), or a start the dispatcher refused.
    /// </summary>
    public static RunTimeline FromHistory(string runId, IEnumerable<RunHistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var entries = new List<TimelineEntry>();
        var scheduled = new Dictionary<int, (string Activity, string? JobId, int Index)>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal); // job id -> index of its running attempt
        var groups = new Dictionary<int, List<(string JobId, int Index)>>(); // a group start's event id -> its jobs' attempts
        var stepRuns = new Dictionary<string, int>(StringComparer.Ordinal);
        DateTimeOffset? started = null, ended = null;
        string? error = null;
        foreach (var e in history)
        {
            var at = e.Timestamp;
            switch (e.Type)
            {
                case "ExecutionStarted":
                    started ??= at;
                    break;
                case "ExecutionCompleted":
                    ended = at;
                    error = e.Failure;
                    break;
                case "ExecutionTerminated":
                    ended = at;
                    error = $"terminated: {Unquote(e.Input)}";
                    break;
                case "TaskScheduled" when e.Name == nameof(StartJobActivity):
                {
                    using var input = JsonDocument.Parse(Payload(e.Input), Lenient);
                    var (jobId, index) = Begin(input.RootElement, at);
                    scheduled[e.EventId] = (e.Name, jobId, index);
                    break;
                }

                case "TaskScheduled" when e.Name == nameof(StartJobsActivity):
                {
                    // A group start: one attempt per job of the group, in the group's order.
                    using var input = JsonDocument.Parse(string.IsNullOrEmpty(e.Input) ? "[]" : e.Input, Lenient);
                    groups[e.EventId] = JobStarts(input.RootElement).Select(start => Begin(start, at)).ToList();
                    scheduled[e.EventId] = (e.Name, null, -1);
                    break;
                }

                case "TaskScheduled" when e.Name == nameof(ProbeJobActivity):
                {
                    using var input = JsonDocument.Parse(Payload(e.Input), Lenient);
                    scheduled[e.EventId] = (e.Name, Text(input.RootElement, "jobId"), -1);
                    break;
                }

                case "TaskScheduled":
                {
                    var step = StepName(e.Name ?? "step");
                    var run = stepRuns[step] = stepRuns.GetValueOrDefault(step) + 1;
                    scheduled[e.EventId] = (e.Name ?? step, null, entries.Count);
                    entries.Add(new TimelineEntry(step, step, "step", run, at, at, null, "running", null));
                    break;
                }

                case "TaskCompleted" when scheduled.TryGetValue(e.TaskScheduledId, out var task):
                    Completed(task.Activity == nameof(StartJobsActivity) ? task with { Index = e.TaskScheduledId } : task, e.Result, at);
                    break;
                case "TaskFailed" when scheduled.TryGetValue(e.TaskScheduledId, out var task):
                    if (task.Activity == nameof(ProbeJobActivity))
                    {
                        break; // a probe that failed is retried by the step policy; it says nothing of the job
                    }

                    foreach (var (jobId, index) in task.Index < 0 && groups.TryGetValue(e.TaskScheduledId, out var group) ? group : [(task.JobId ?? "", task.Index)])
                    {
                        open.Remove(jobId);

                        entries[index] = entries[index] with { Ended = at, Outcome = "failed", Reason = e.Failure ?? "failed" };
                    }

                    break;
                case "EventRaised" when e.Name is { } name && name.StartsWith("job:", StringComparison.Ordinal):
                    Finished(name["job:".Length..], e.Input, at);
                    break;
            }
        }

        // An attempt whose run has ended without an answer was given up (terminated, or the run failed elsewhere): it was
        // stopped, or never started when it had not even been handed to the dispatcher. Neither is a failure of its own.
        if (ended is not null)
        {
            foreach (var index in open.Values)
            {
                entries[index] = GivenUp(entries[index], ended.Value);
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Outcome == "running")
                {
                    entries[i] = entries[i].Kind == "step"
                        ? entries[i] with { Ended = ended, Outcome = "failed", Reason = "the run ended first" }
                        : GivenUp(entries[i], ended.Value);
                }
            }
        }

        return new RunTimeline(runId, started, ended, error, entries);

        static TimelineEntry GivenUp(TimelineEntry entry, DateTimeOffset ended) => entry.Started is null
            ? entry with { Ended = entry.Ended ?? ended, Outcome = NotStarted, Reason = entry.Reason ?? "the run ended before it was started" }
            : entry with { Ended = entry.Ended ?? ended, Outcome = Stopped, Reason = entry.Reason ?? "the run ended first; the job was stopped" };

        // A job attempt whose start was scheduled: a running entry, open until its answer.
        (string JobId, int Index) Begin(JsonElement start, DateTimeOffset at)
        {
            var spec = Property(start, "spec");
            var jobId = Text(spec, "jobId") ?? Text(spec, "job_id") ?? "?";
            var kind = Text(spec, "kind") ?? "job";
            var attempt = Property(start, "attempt") is { ValueKind: JsonValueKind.Number } a ? a.GetInt32() : 1;
            if (open.TryGetValue(jobId, out var previous))
            {
                // Started again before an answer: the earlier start was lost before it began.
                entries[previous] = entries[previous] with { Ended = entries[previous].Ended ?? at, Outcome = "retried", Reason = entries[previous].Reason ?? "lost before it began" };
            }

            open[jobId] = entries.Count;
            entries.Add(new TimelineEntry(kind, jobId, kind, attempt, at, null, null, "running", null));
            return (jobId, entries.Count - 1);
        }

        // A group start's answers: started jobs run; a refused start ends its attempt; a terminated run started none.
        void GroupCompleted(List<(string JobId, int Index)> group, string? result, DateTimeOffset at)
        {
            using var document = JsonDocument.Parse(string.IsNullOrEmpty(result) ? "[]" : result, Lenient);
            var outcomes = Outcomes(document.RootElement).ToList();
            for (var i = 0; i < group.Count && i < outcomes.Count; i++)
            {
                var (jobId, index) = group[i];
                if (Property(outcomes[i], "started") is { ValueKind: JsonValueKind.True })
                {
                    entries[index] = entries[index] with { Started = at };
                }
                else if (Text(outcomes[i], "failure") is { } failure)
                {
                    open.Remove(jobId);
                    entries[index] = entries[index] with { Ended = at, Outcome = "failed", Reason = failure };
                }
            }
        }

        void Completed((string Activity, string? JobId, int Index) task, string? result, DateTimeOffset at)
        {
            if (task.Activity == nameof(StartJobsActivity))
            {
                if (groups.TryGetValue(task.Index, out var group))
                {
                    GroupCompleted(group, result, at);
                }

                return;
            }

            if (task.Activity == nameof(StartJobActivity))
            {
                entries[task.Index] = entries[task.Index] with { Started = at };
                return;
            }

            if (task.Activity != nameof(ProbeJobActivity))
            {
                entries[task.Index] = entries[task.Index] with { Ended = at, Outcome = "succeeded" };
                return;
            }

            if (task.JobId is null || !open.TryGetValue(task.JobId, out var index))
            {
                return;
            }

            using var check = JsonDocument.Parse(Payload(result), Lenient);
            if (Property(check.RootElement, "result") is { ValueKind: JsonValueKind.Object } found)
            {
                Finished(task.JobId, found.GetRawText(), at);
                return;
            }

            var state = Property(check.RootElement, "state");
            var waiting = state is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() <= 1 : state?.GetString() is "Queued" or "Running";
            if (!waiting)
            {
                // Crashed, hung or lost: this attempt is over; the next start (or the run's failure) follows.
                // It stays open: the next start of the job marks it retried, the end of the run marks it failed.
                entries[index] = entries[index] with { Ended = at, Outcome = "retried", Reason = Text(check.RootElement, "detail") };
            }
        }

        void Finished(string jobId, string? result, DateTimeOffset at)
        {
            if (!open.Remove(jobId, out var index))
            {
                return;
            }

            using var document = JsonDocument.Parse(Payload(result), Lenient);
            var succeeded = Property(document.RootElement, "succeeded") is { ValueKind: JsonValueKind.True };
            entries[index] = entries[index] with
            {
                Ended = at, Outcome = succeeded ? "succeeded" : "failed", Reason = succeeded ? null : Text(document.RootElement, "error"),
            };
        }
    }

    // The job starts of a group start's input, however the backend wrapped the list (an argument list, JSON in a string).
    private static List<JsonElement> JobStarts(JsonElement stored) => Elements(stored, e => Property(e, "spec") is not null);

    // The outcomes of a group start's result, however the backend wrapped the list.
    private static List<JsonElement> Outcomes(JsonElement stored) => Elements(stored, e => Property(e, "started") is not null);

    // The objects in a stored value that are what is sought, in order: arrays are looked into, strings parsed (a few levels).
    private static List<JsonElement> Elements(JsonElement stored, Func<JsonElement, bool> sought, int level = 0)
    {
        var found = new List<JsonElement>();
        switch (stored.ValueKind)
        {
            case JsonValueKind.Object when sought(stored):
                found.Add(stored.Clone());
                break;
            case JsonValueKind.Array:
                foreach (var item in stored.EnumerateArray())
                {
                    found.AddRange(Elements(item, sought, level));
                }

                break;
            case JsonValueKind.String when level < 3:
                try
                {
                    using var inner = JsonDocument.Parse(stored.GetString() ?? "", Lenient);
                    found.AddRange(Elements(inner.RootElement, sought, level + 1));
                }
                catch (JsonException)
                {
                }

                break;
        }

        return found;
    }

    // A payload as the backend stored it: plain JSON, JSON held in a JSON string, or the one argument of an array
    // (the Azure Storage provider keeps an activity's input as its argument list).
    private static string Payload(string? stored)
    {
        var text = stored ?? "{}";
        for (var level = 0; level < 3; level++)
        {
            try
            {
                using var document = JsonDocument.Parse(text, Lenient);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                {
                    text = root.GetString() ?? "{}";
                }
                else if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 1)
                {
                    text = root[0].ValueKind == JsonValueKind.String ? root[0].GetString() ?? "{}" : root[0].GetRawText();
                }
                else
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                return "{}";
            }
        }

        return text;
    }

    // ValidateRunActivity -> validate, WriteReportActivity -> report, ...
    private static string StepName(string activity) => activity switch
    {
        nameof(ValidateRunActivity) => RunPhases.Validate,
        nameof(AssembleActivity) => RunPhases.Assemble,
        nameof(WriteReportActivity) => RunPhases.Report,
        nameof(PublishActivity) => RunPhases.Publish,
        _ => activity.EndsWith("Activity", StringComparison.Ordinal) ? activity[..^"Activity".Length].ToLowerInvariant() : activity,
    };

    // The data converter writes the SDK's default casing; snake_case documents and camelCase ones are read alike.
    private static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } o)
        {
            return null;
        }

        foreach (var p in o.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement? element, string name) => Property(element, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static string? Unquote(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : json;
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
