using Cki.Contracts.Jobs;

namespace Cki.Workflow.Messages;

/// <summary>A job to start: its spec and which attempt this is.</summary>
/// <param name="Spec">The spec, written to <c>runs/{runId}/jobs/{jobId}/spec.json</c>.</param>
/// <param name="Attempt">1 for the first start.</param>
public sealed record JobStart(JobSpec Spec, int Attempt);
