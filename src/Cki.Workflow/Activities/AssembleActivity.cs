using Cki.Contracts.Manifests;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>
/// Step 5: turns the splice shards into one model: the shard index (with provenance: input URIs, ETags, SHA-256,
/// options, seed, tool versions), the compatibility summary of all shards, <c>provenance.json</c>, model A's
/// config and tokenizer files (<see cref="CheckpointFileNames.Companions"/>) and the model card with the Hub's front
/// matter. Returns the index's blob name.
/// </summary>
public sealed class AssembleActivity(WorkflowStorage storage) : TaskActivity<AssembleRequest, string>
{
    /// <summary>The model card's file name.</summary>
    public const string ModelCard = "README.md";

    // Readable documents: indented, and quotes inside values (ETags) written as they are, not as \u0022.

    /// <summary>The provenance document's file name.</summary>
    public const string Provenance = RunDocuments.ProvenanceFile;

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskActivityContext context, AssembleRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var cancellationToken = CancellationToken.None;
        var files = new JsonArray();
        for (var k = 0; k < input.Profiles.Count; k++)
        {
            var profile = await storage.ReadAsync(RunDocuments.Profile(input.Profiles[k].Outputs[0]), cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{input.Profiles[k].Outputs[0]}: the profile is gone.");
            foreach (var file in profile.Files)
            {
                files.Add(new JsonObject { ["source"] = plan.Sources[k], ["file"] = file.File, ["sha256"] = file.Sha256 });
            }
        }

        var manifest = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.Split(plan.Manifest).Name, 1 << 20, cancellationToken).ConfigureAwait(false);
        var manifestText = manifest is null ? "" : Encoding.UTF8.GetString(manifest.Value.Content);
        var learningRate = input.Candidate?.Figures.GetValueOrDefault(JobFigures.LearningRate);
        var provenance = new JsonObject
        {
            ["run_id"] = plan.RunId,
            ["family"] = plan.Family,
            ["method"] = plan.Method,
            ["inputs"] = new JsonArray(input.Inputs.Select(i => (JsonNode)new JsonObject
            {
                ["source"] = i.Source, ["version"] = i.Version, ["checkpoint"] = i.Checkpoint,
                ["etags"] = new JsonObject(i.ETags.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            }).ToArray()),
            ["input_files"] = files,
            ["manifest"] = manifestText,
            ["learning_rate"] = learningRate,
            ["tools"] = new JsonArray(input.Profiles.Concat(input.Candidate is null ? [] : [input.Candidate]).Select(r => r.Tool).Distinct().Select(t => (JsonNode?)t).ToArray()),
            ["extension"] = plan.Inputs.Count > 2 && plan.Method is "cki" or "global-only" or "local-only"
                ? "K-model extension of CKI (K > 2): this project's, not in the authors' code; see docs/method.md" : null,
        };
        var folder = BlobLayout.IntegratedRunPrefix(plan.Family, plan.RunId);
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Shards.Count; i++)
        {
            foreach (var tensor in plan.Shards[i])
            {
                weightMap[tensor] = CheckpointFileNames.Shard(i + 1, plan.Shards.Count);
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cki.run"] = plan.RunId,
            ["cki.method"] = plan.Method,
            ["cki.models"] = JsonSerializer.Serialize(plan.Inputs),
            ["cki.input_files"] = files.ToJsonString(),
        };
        await RunTermination.EnsureNotTerminatedAsync(storage, plan.RunId, "assembly", cancellationToken).ConfigureAwait(false);
        var companions = await CopyCompanionsAsync(input.Inputs[0].Checkpoint, folder, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(RunDocuments.Provenance(plan.Family, plan.RunId), provenance, cancellationToken).ConfigureAwait(false);
        var compatibility = await MergedSummaryAsync(plan, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(RunDocuments.ModelCompatibility(plan.Family, plan.RunId), compatibility, cancellationToken).ConfigureAwait(false);
        var layerPlot = LayerSharePlot.Png(LayerShares.Of(compatibility.Tensors),
            plan.Sources.Select((s, k) => k == 0 ? $"{s} (model A)" : s).ToList(), plan.Method);
        if (layerPlot is not null)
        {
            await Write(folder + LayerSharePlot.FileName, layerPlot, cancellationToken).ConfigureAwait(false);
        }

        var plots = await CompatibilityPlots.ListAsync(storage, folder, cancellationToken).ConfigureAwait(false);
        await Write(folder + ModelCard, Encoding.UTF8.GetBytes(Card(plan, input, learningRate, companions) + CompatibilityPlots.Markdown(plots)), cancellationToken)
            .ConfigureAwait(false);
        // The index last: it is what makes the shards one model.
        var index = new ShardIndex(weightMap, plan.ModelBytes, metadata);
        await Write(folder + CheckpointFileNames.ShardIndex, index.ToJson(), cancellationToken).ConfigureAwait(false);
        await RunTermination.SweepIfTerminatedAsync(storage, plan.Family, plan.RunId, "assembly", cancellationToken).ConfigureAwait(false);
        return BlobLayout.Qualified(BlobLayout.IntegratedContainer, folder + CheckpointFileNames.ShardIndex);
    }

    private Task<string?> Write(string name, byte[] content, CancellationToken cancellationToken) =>
        storage.WriteSmallAsync(BlobLayout.IntegratedContainer, name, content, ifMatch: null, cancellationToken);

    // Model A's config, tokenizer and generation files from its version folder, beside the model: known names only,
    // each within the bound (a larger one is left out; the model is whole without it).
    private async Task<List<string>> CopyCompanionsAsync(string modelA, string folder, CancellationToken cancellationToken)
    {
        var (container, name) = BlobLayout.Split(modelA);
        var version = name[..(name.LastIndexOf('/') + 1)];
        var copied = new List<string>();
        foreach (var file in CheckpointFileNames.Companions)
        {
            (byte[] Content, string ETag)? read;
            try
            {
                read = await storage.ReadSmallAsync(container, version + file, CheckpointFileNames.MaxCompanionBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                continue;
            }

            if (read is not null)
            {
                await Write(folder + file, read.Value.Content, cancellationToken).ConfigureAwait(false);
                copied.Add(file);
            }
        }

        return copied;
    }

    // One summary for the whole model: the shards' tensors, in shard order (a shard that spliced nothing wrote none).
    private async Task<CompatibilitySummary> MergedSummaryAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        var shards = new List<CompatibilitySummary>();
        for (var i = 0; i < plan.Shards.Count; i++)
        {
            if (await storage.ReadAsync(RunDocuments.ShardCompatibility(plan.Family, plan.RunId, i + 1, plan.Shards.Count), cancellationToken).ConfigureAwait(false) is { } shard)
            {
                shards.Add(shard);
            }
        }

        return new CompatibilitySummary(shards.FirstOrDefault()?.Method ?? plan.Method, shards.FirstOrDefault()?.Models ?? plan.Inputs, [.. shards.SelectMany(s => s.Tensors)]);
    }

    private static string Card(RunPlan plan, AssembleRequest input, double? learningRate, List<string> companions)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        // transformers loads it when model A came with its config; otherwise it is PyTorch tensors in safetensors.
        text.Append(ModelCardFrontMatter.Render(companions.Contains("config.json") ? "transformers" : "pytorch", input.Inputs.Select(i => i.Checkpoint)));
        text.AppendLine(c, $"# {plan.Family}: integrated model of run {plan.RunId}");
        text.AppendLine();
        text.AppendLine(c, $"One model of the inputs' architecture, integrated by CKI (Compatibility-aware Knowledge Integration) with method `{plan.Method}`; its inference cost is that of one input.");
        text.AppendLine();
        text.AppendLine("## Inputs (model A first)");
        text.AppendLine();
        text.AppendLine("| source | version | checkpoint |");
        text.AppendLine("|---|---|---|");
        foreach (var i in input.Inputs)
        {
            text.AppendLine(c, $"| {i.Source} | {i.Version} | `{i.Checkpoint}` |");
        }

        text.AppendLine();
        text.AppendLine(string.Create(c, $"Task: `{plan.Task}`. ") + (learningRate is { } lr ? string.Create(c, $"Learned assessment kept the candidate with learning rate {lr:G3} (best on VALIDATION). ") : "") +
            (plan.Inputs.Count > 2 && plan.Method is "cki" or "global-only" or "local-only" ? "K > 2 uses this project's K-model extension of CKI (docs/method.md). " : ""));
        text.AppendLine();
        text.AppendLine("## Files");
        text.AppendLine();
        text.AppendLine(c, $"- `{CheckpointFileNames.ShardIndex}` and {plan.Shards.Count} shard(s): the model.");
        text.AppendLine("- `*.compatibility.safetensors`: the compatibility map (per element, or per tensor for global-only); `compatibility.json`: each model's share per tensor.");
        if (companions.Count > 0)
        {
            text.AppendLine(c, $"- {string.Join(", ", companions.Select(f => $"`{f}`"))}: copied from model A, for Hugging Face tools.");
        }

        text.AppendLine(c, $"- `{Provenance}`: inputs with ETags and SHA-256, the manifest as the run saw it, tool versions.");
        text.AppendLine("- `report.json` / `report.md`: the evaluation (integrated model, inputs, baselines) on validation and test.");
        if (plan.Task != ManifestTasks.None)
        {
            text.AppendLine(c, $"- `{WriteReportActivity.MetricsPlot}`: test AUC of every evaluated model, the integrated one highlighted (written by the report step).");
            text.AppendLine();
            text.AppendLine(c, $"![test AUC per model]({WriteReportActivity.MetricsPlot})");
        }
        return text.ToString();
    }
}
