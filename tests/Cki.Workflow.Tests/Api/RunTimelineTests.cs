using Cki.Workflow.Api;

namespace Cki.Workflow.Tests.Api;

public sealed class RunTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static string Start(string jobId, string kind, int attempt) =>
        $$"""{"Spec":{"$kind":"{{kind}}","JobId":"{{jobId}}","Kind":"{{kind}}"},"Attempt":{{attempt}}}""";

    [Fact]
    public void FromHistory_JobCrashesThenSucceeds_TwoAttemptsTheFirstRetriedWithTheProbesReason()
    {
        RunHistoryEvent[] history =
        [
            new("ExecutionStarted", -1, At(0)),
            new("TaskScheduled", 0, At(0.1), "ValidateRunActivity"),
            new("TaskCompleted", -1, At(0.5), TaskScheduledId: 0),
            new("TaskScheduled", 1, At(0.6), "StartJobActivity", Start("profile-a", "profile", 1)),
            new("TaskCompleted", -1, At(1.0), TaskScheduledId: 1),
            new("TaskScheduled", 2, At(3.0), "ProbeJobActivity", """{"RunId":"r","JobId":"profile-a","TimeoutSeconds":60}"""),
            new("TaskCompleted", -1, At(3.2), Result: """{"Result":null,"State":2,"Detail":"crashed without a result (exit code 139)","Started":true}""", TaskScheduledId: 2),
            new("TaskScheduled", 3, At(3.3), "StartJobActivity", Start("profile-a", "profile", 2)),
            new("TaskCompleted", -1, At(3.5), TaskScheduledId: 3),
            new("EventRaised", -1, At(7.5), "job:profile-a", """{"RunId":"r","JobId":"profile-a","Kind":"profile","Succeeded":true,"Seconds":3.9}"""),
            new("TaskScheduled", 4, At(8.0), "AssembleActivity"),
            new("TaskFailed", -1, At(8.4), TaskScheduledId: 4, Failure: "storage answered 503"),
            new("TaskScheduled", 5, At(10.4), "AssembleActivity"),
            new("TaskCompleted", -1, At(11.0), TaskScheduledId: 5),
            new("ExecutionCompleted", -1, At(12.0)),
        ];

        var timeline = RunTimeline.FromHistory("r", history);

        Assert.Equal((At(0), At(12.0), (string?)null), (timeline.Started, timeline.Ended, timeline.Error));
        Assert.Equal(
        [
            new TimelineEntry("validate", "validate", "step", 1, At(0.1), At(0.1), At(0.5), "succeeded", null),
            new TimelineEntry("profile", "profile-a", "profile", 1, At(0.6), At(1.0), At(3.2), "retried", "crashed without a result (exit code 139)"),
            new TimelineEntry("profile", "profile-a", "profile", 2, At(3.3), At(3.5), At(7.5), "succeeded", null),
            new TimelineEntry("assemble", "assemble", "step", 1, At(8.0), At(8.0), At(8.4), "failed", "storage answered 503"),
            new TimelineEntry("assemble", "assemble", "step", 2, At(10.4), At(10.4), At(11.0), "succeeded", null),
        ], timeline.Entries);
    }

    [Fact]
    public void FromHistory_GroupStart_OneAttemptPerJobARefusedStartFailsItsAttemptOnly()
    {
        var starts = $"[[{Start("splice-00001", "splice", 1)},{Start("splice-00002", "splice", 1)}]]";
        RunHistoryEvent[] history =
        [
            new("ExecutionStarted", -1, At(0)),
            new("TaskScheduled", 0, At(1), "StartJobsActivity", starts),
            new("TaskCompleted", -1, At(2), Result: """[{"Started":true,"Failure":null},{"Started":false,"Failure":"not started: API server unreachable"}]""", TaskScheduledId: 0),
            new("TaskScheduled", 1, At(3), "StartJobActivity", Start("splice-00002", "splice", 2)),
            new("TaskCompleted", -1, At(3.5), TaskScheduledId: 1),
            new("EventRaised", -1, At(4), "job:splice-00001", """{"Succeeded":true}"""),
            new("EventRaised", -1, At(5), "job:splice-00002", """{"Succeeded":true}"""),
            new("ExecutionCompleted", -1, At(6)),
        ];

        var timeline = RunTimeline.FromHistory("r", history);

        Assert.Equal(
        [
            new TimelineEntry("splice", "splice-00001", "splice", 1, At(1), At(2), At(4), "succeeded", null),
            new TimelineEntry("splice", "splice-00002", "splice", 1, At(1), null, At(2), "failed", "not started: API server unreachable"),
            new TimelineEntry("splice", "splice-00002", "splice", 2, At(3), At(3.5), At(5), "succeeded", null),
        ], timeline.Entries);
    }

    [Fact]
    public void FromHistory_GroupStartOfARunTerminatedMeanwhile_ItsJobsWereNotStarted()
    {
        RunHistoryEvent[] history =
        [
            new("ExecutionStarted", -1, At(0)),
            new("TaskScheduled", 0, At(1), "StartJobsActivity", $"[{Start("profile-a", "profile", 1)}]"),
            new("TaskCompleted", -1, At(2), Result: """[{"Started":false,"Failure":null}]""", TaskScheduledId: 0),
            new("ExecutionCompleted", -1, At(3)),
        ];

        var entry = Assert.Single(RunTimeline.FromHistory("r", history).Entries);

        Assert.Equal(("profile-a", (DateTimeOffset?)null, RunTimeline.NotStarted), (entry.Name, entry.Started, entry.Outcome));
    }

    [Fact]
    public void FromHistory_RunEndsBeforeAJobWasHandedOver_ThatJobIsNotStartedNotFailed()
    {
        RunHistoryEvent[] history =
        [
            new("ExecutionStarted", -1, At(0)),
            new("TaskScheduled", 0, At(1), "StartJobActivity", Start("splice-00001", "splice", 1)),
            new("TaskScheduled", 1, At(1), "StartJobActivity", Start("splice-00002", "splice", 1)),
            new("TaskCompleted", -1, At(2), TaskScheduledId: 0),
            new("ExecutionTerminated", -1, At(3)),
            new("ExecutionCompleted", -1, At(3), Failure: "terminated"),
        ];

        var timeline = RunTimeline.FromHistory("r", history);

        Assert.Equal([("splice-00001", "stopped"), ("splice-00002", "not started")], timeline.Entries.Select(e => (e.Name, e.Outcome)));
    }

    [Fact]
    public void FromHistory_JobReportsAFailure_RunFails_TheJobsErrorAndTheRunsReason()
    {
        RunHistoryEvent[] history =
        [
            new("ExecutionStarted", -1, At(0)),
            new("TaskScheduled", 0, At(1), "StartJobActivity", Start("splice-00001", "splice", 1)),
            new("TaskScheduled", 1, At(1), "StartJobActivity", Start("splice-00002", "splice", 1)),
            new("TaskCompleted", -1, At(2), TaskScheduledId: 0),
            new("TaskCompleted", -1, At(2), TaskScheduledId: 1),
            // The result found by a probe (its event was lost), then the run fails while the other job still runs.
            new("TaskScheduled", 2, At(4), "ProbeJobActivity", """{"RunId":"r","JobId":"splice-00001","TimeoutSeconds":60}"""),
            new("TaskCompleted", -1, At(4.5), Result: """{"Result":{"JobId":"splice-00001","Succeeded":false,"Error":"tensors: head selects nothing"},"State":2,"Detail":"ended"}""", TaskScheduledId: 2),
            new("ExecutionCompleted", -1, At(5), Failure: "job splice-00001 (splice) failed: tensors: head selects nothing"),
        ];

        var timeline = RunTimeline.FromHistory("r", history);

        Assert.Equal("job splice-00001 (splice) failed: tensors: head selects nothing", timeline.Error);
        Assert.Equal(("failed", "tensors: head selects nothing", At(4.5)), (timeline.Entries[0].Outcome, timeline.Entries[0].Reason, timeline.Entries[0].Ended));
        // The other job was handed over and had not answered: the run stopped it; it did not fail.
        Assert.Equal(("stopped", "the run ended first; the job was stopped", At(5)), (timeline.Entries[1].Outcome, timeline.Entries[1].Reason, timeline.Entries[1].Ended));
    }

    [Fact]
    public void ParseDump_TheProvidersJson_TypesNamesTimesAndFailures()
    {
        const string dump = """
            [{"EventType":0,"EventId":-1,"Timestamp":"2026-01-01T12:00:00Z","Name":"IntegrationOrchestrator"},
             {"EventType":4,"EventId":0,"Timestamp":"2026-01-01T12:00:01.5Z","Name":"ValidateRunActivity","Input":"{}"},
             {"EventType":6,"EventId":-1,"Timestamp":"2026-01-01T12:00:02Z","TaskScheduledId":0,"Reason":"r","FailureDetails":{"ErrorMessage":"bad manifest"}},
             {"EventType":15,"EventId":-1,"Timestamp":"2026-01-01T12:00:03Z","Name":"job:x","Input":"{\"Succeeded\":true}"}]
            """;

        var events = RunHistoryEvent.ParseDump(dump);

        Assert.Equal(["ExecutionStarted", "TaskScheduled", "TaskFailed", "EventRaised"], events.Select(e => e.Type));
        Assert.Equal(At(1.5), events[1].Timestamp);
        Assert.Equal((0, "bad manifest"), (events[2].TaskScheduledId, events[2].Failure));
        Assert.Equal(("job:x", """{"Succeeded":true}"""), (events[3].Name, events[3].Input));
    }
}
