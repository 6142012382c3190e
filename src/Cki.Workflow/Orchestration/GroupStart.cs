using Cki.Workflow.Messages;

namespace Cki.Workflow.Orchestration;

/// <summary>A job's first attempt as a group start made it: how its start went, and the timer its first wait shares with the group.</summary>
/// <param name="Outcome">The job's answer from the group start (<c>StartJobsActivity</c>).</param>
/// <param name="FirstWait">The group's timer: when it goes off before the job's event came, the job is asked after.</param>
public sealed record GroupStart(JobStartOutcome Outcome, Task FirstWait);
