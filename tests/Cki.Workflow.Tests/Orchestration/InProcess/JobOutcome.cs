namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>What one start of a job does, as <see cref="ScriptedJobDispatcher"/> plays it.</summary>
public enum JobOutcome
{
    /// <summary>Writes its outputs and a successful result; the result's event reaches the run.</summary>
    Succeeds,

    /// <summary>Writes its outputs and a successful result, but the event is lost: only a probe finds the result.</summary>
    SucceedsEventLost,

    /// <summary>Writes a failed result (with <see cref="ScriptedJobDispatcher.FailureReason"/>); the event reaches the run.</summary>
    Fails,

    /// <summary>Exits without a result (exit code 137).</summary>
    Crashes,

    /// <summary>Runs and never ends: the dispatcher reports it running to the first two probes and until its timeout, then timed out.</summary>
    Hangs,

    /// <summary>The dispatcher forgets it before it began (a host restart): no started mark, probes say lost.</summary>
    LostBeforeStart,

    /// <summary>The dispatcher forgets it after it began (its started mark names this attempt's spec): probes say lost.</summary>
    LostAfterStart,
}
