
namespace Cki.Workflow.Messages;

/// <summary>What publishing did.</summary>
/// <param name="Published">Whether <c>latest.json</c> now points at the run.</param>
/// <param name="SupersededBy">The published run that is newer, when the run was not published.</param>
/// <param name="Detail">Why, per source.</param>
public sealed record PublishOutcome(bool Published, string? SupersededBy, string Detail);
