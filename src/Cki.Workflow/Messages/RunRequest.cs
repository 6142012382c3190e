using Cki.Contracts.Runs;

namespace Cki.Workflow.Messages;

/// <summary>
/// What starts an integration run: the family and the exact input versions the starter saw (the run id derives
/// from them), how it was triggered, and the job settings.
/// </summary>
/// <param name="RunId">The run (orchestration instance) id.</param>
/// <param name="Family">The family.</param>
/// <param name="ManifestETag">The manifest version the run integrates under.</param>
/// <param name="Inputs">The inputs found for the manifest's sources (model A first when the manifest parsed).</param>
/// <param name="Trigger">What started it: <c>blob</c>, <c>schedule</c> or <c>http</c>.</param>
/// <param name="Settings">Job waiting settings.</param>
/// <param name="ManifestContentId">The manifest's content identity (<c>md5:...</c>): a manifest uploaded again with the same bytes is the same manifest.</param>
public sealed record RunRequest(string RunId, string Family, string ManifestETag, IReadOnlyList<RunInput> Inputs, string Trigger, RunSettings Settings,
    string? ManifestContentId = null);
