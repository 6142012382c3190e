using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;

namespace Cki.Workflow.Messages;

/// <summary>What became of a job: its result when it wrote one (the event may have been lost), else the dispatcher's answer.</summary>
/// <param name="Result">The result, when <c>result.json</c> exists.</param>
/// <param name="State">The dispatcher's state of the job.</param>
/// <param name="Detail">What a user reads.</param>
/// <param name="Started">Whether this attempt began running (false only for a lost job that never started: not an attempt).</param>
public sealed record JobCheck(JobResult? Result, JobState State, string Detail, bool Started = true);
