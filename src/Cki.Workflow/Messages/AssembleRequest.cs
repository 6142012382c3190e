using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;

namespace Cki.Workflow.Messages;

/// <summary>What assembly needs: the plan, the run's inputs and the profile and kept-candidate results.</summary>
/// <param name="Plan">The run's plan.</param>
/// <param name="Inputs">The inputs with their versions and ETags.</param>
/// <param name="Profiles">The profile jobs' results, in input order.</param>
/// <param name="Candidate">The kept assessment candidate (learned methods).</param>
public sealed record AssembleRequest(RunPlan Plan, IReadOnlyList<RunInput> Inputs, IReadOnlyList<JobResult> Profiles, JobResult? Candidate);
