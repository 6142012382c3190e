using System.Text;
using System.Text.Json;
using Cki.Contracts.Runs;
using Cki.Functions.Hosting;
using Cki.Functions.Orchestration;
using Cki.Functions.Tests.Hosting;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Activities;
using Cki.Workflow.Messages;
using Cki.Workflow.Runs;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Tests.Orchestration;

/// <summary>
/// The activity functions' bodies, built from the worker's own container with storage on a real Azurite, called with
/// a <see cref="StandInFunctionContext"/> because the Functions host, which would build the context, cannot run here.
/// </summary>
public sealed class ActivityFunctionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly FamilyManifestBuilder DataFreeManifest = FamilyManifestBuilder.DataFree("a", "b").Shards(1);

    [Fact]
    public async Task PublishAsync_TwoRunsOneAfterTheOther_LatestJsonNamesEachRunInTurn()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);

        var first = await functions.PublishAsync(new PublishRequest("pub", "pub-run1", "integrated/pub/pub-run1/model.safetensors", [Input("a", "v1")], null),
            Context(nameof(PublishActivity), "pub-run1"));
        var (content1, etag1) = (await storage.ReadSmallAsync("integrated", "pub/latest.json", 1 << 20, CancellationToken.None))!.Value;
        var second = await functions.PublishAsync(new PublishRequest("pub", "pub-run2", "integrated/pub/pub-run2/model.safetensors", [Input("a", "v2")], null),
            Context(nameof(PublishActivity), "pub-run2"));
        var (content2, etag2) = (await storage.ReadSmallAsync("integrated", "pub/latest.json", 1 << 20, CancellationToken.None))!.Value;

        var latest1 = JsonDocument.Parse(content1).RootElement;
        Assert.Equal("pub", latest1.GetProperty("family").GetString());
        Assert.Equal("pub-run1", latest1.GetProperty("run_id").GetString());
        Assert.Equal("integrated/pub/pub-run1/", latest1.GetProperty("folder").GetString());
        Assert.Equal("integrated/pub/pub-run1/model.safetensors", latest1.GetProperty("model").GetString());
        Assert.True(first.Published, first.Detail);
        var latest2 = JsonDocument.Parse(content2).RootElement;
        Assert.Equal("pub-run2", latest2.GetProperty("run_id").GetString());
        Assert.Equal("integrated/pub/pub-run2/", latest2.GetProperty("folder").GetString());
        Assert.Equal("integrated/pub/pub-run2/model.safetensors", latest2.GetProperty("model").GetString());
        Assert.True(second.Published, second.Detail);
        Assert.NotEqual(etag1, etag2);
    }

    [Fact]
    public async Task WriteReportAsync_CompletedSummaryWithTestAuc_WritesSummaryMarkdownJsonAndMetricsPlot()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);
        var summary = new RunSummary
        {
            RunId = "rep-run1",
            Family = "rep",
            Outcome = "completed",
            Jobs = [new JobRecord("splice-00000", "splice", 1, 2.5, true)],
            Evaluation =
            [
                new EvaluationRow("integrated", 1, new Dictionary<string, double> { ["validation.auc"] = 0.74, ["test.auc"] = 0.75 }),
                new EvaluationRow("input a", 1, new Dictionary<string, double> { ["validation.auc"] = 0.72, ["test.auc"] = 0.70 }),
                new EvaluationRow("input b", 1, new Dictionary<string, double> { ["validation.auc"] = 0.69, ["test.auc"] = 0.71 }),
            ],
            OutputFolder = "integrated/rep/rep-run1/",
        };

        var returned = await functions.WriteReportAsync(summary, Context(nameof(WriteReportActivity), "rep-run1"));

        Assert.Same(summary, returned);
        var published = await storage.ListAsync("integrated", "rep/", CancellationToken.None);
        Assert.Equal(["rep/rep-run1/metrics.png", "rep/rep-run1/report.json", "rep/rep-run1/report.md"], published.Select(b => b.Name).Order(StringComparer.Ordinal));
        var markdown = await TextAsync(storage, "integrated", "rep/rep-run1/report.md");
        Assert.StartsWith("# Run rep-run1 of rep: completed", markdown, StringComparison.Ordinal);
        Assert.Contains("![test AUC per model](metrics.png)", markdown, StringComparison.Ordinal);
        Assert.Contains("| integrated | 1x | 0.7500 | 0.7400 |", markdown, StringComparison.Ordinal);
        // Best input on validation is "input a" (0.72 > 0.69), whose test AUC 0.70 the integrated 0.75 beats.
        Assert.Contains("the integrated model beats the best single input chosen on validation (input a): test AUC 0.7500 vs 0.7000.", markdown, StringComparison.Ordinal);
        Assert.Contains("| splice-00000 | splice | 1 | 2.5 |", markdown, StringComparison.Ordinal);
        var (png, _) = (await storage.ReadSmallAsync("integrated", "rep/rep-run1/metrics.png", 1 << 24, CancellationToken.None))!.Value;
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var report = JsonDocument.Parse(await TextAsync(storage, "integrated", "rep/rep-run1/report.json")).RootElement;
        Assert.Equal("rep-run1", report.GetProperty("run_id").GetString());
        Assert.Equal(3, report.GetProperty("evaluation").GetArrayLength());
        var written = JsonDocument.Parse(await TextAsync(storage, "runs", "rep-run1/summary.json")).RootElement;
        Assert.Equal("completed", written.GetProperty("outcome").GetString());
        Assert.Equal(0.75, written.GetProperty("evaluation")[0].GetProperty("metrics").GetProperty("test.auc").GetDouble());
    }

    [Fact]
    public async Task WriteReportAsync_FailedSummary_WritesOnlyTheRunSummary()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);
        var summary = new RunSummary { RunId = "repfail-run1", Family = "repfail", Outcome = "failed", Error = "splice-00000 failed 3 times" };

        await functions.WriteReportAsync(summary, Context(nameof(WriteReportActivity), "repfail-run1"));

        Assert.Empty(await storage.ListAsync("integrated", "repfail/", CancellationToken.None));
        var runFiles = await storage.ListAsync("runs", "repfail-run1/", CancellationToken.None);
        Assert.Equal(["repfail-run1/summary.json"], runFiles.Select(b => b.Name));
        var written = JsonDocument.Parse(await TextAsync(storage, "runs", "repfail-run1/summary.json")).RootElement;
        Assert.Equal("failed", written.GetProperty("outcome").GetString());
        Assert.Equal("splice-00000 failed 3 times", written.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ValidateRunAsync_DroppedFamilyOfTwoMatchingCheckpoints_PlansOneGlobalOnlyShardAndSnapshotsTheManifest()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);
        await DropFamilyAsync(storage, "val", [2, 2]);
        var request = await RunRequestAsync(services, "val");

        var plan = await functions.ValidateRunAsync(request, Context(nameof(ValidateRunActivity), request.RunId));

        Assert.StartsWith("val-", request.RunId, StringComparison.Ordinal);
        Assert.Equal(request.RunId, plan.RunId);
        Assert.Equal("val", plan.Family);
        Assert.Equal(["checkpoints/val/a/v1/model.safetensors", "checkpoints/val/b/v1/model.safetensors"], plan.Inputs);
        Assert.Equal(["a", "b"], plan.Sources);
        var shard = Assert.Single(plan.Shards);
        Assert.Equal(["w"], shard);
        Assert.Equal("global-only", plan.Method);
        Assert.False(plan.Learned);
        Assert.Equal("none", plan.Task);
        Assert.Equal(16, plan.ModelBytes);
        Assert.Empty(plan.Baselines);
        Assert.Equal(0, plan.RetrainEpochs);
        Assert.Equal($"runs/{request.RunId}/cki.yaml", plan.Manifest);
        Assert.Equal(DataFreeManifest.Build(), await TextAsync(storage, "runs", $"{request.RunId}/cki.yaml"));
    }

    [Fact]
    public async Task ValidateRunAsync_SecondInputOfAnotherShape_FailsNamingTheTensorAndBothShapes()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);
        await DropFamilyAsync(storage, "valbad", [2, 3]);
        var request = await RunRequestAsync(services, "valbad");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            functions.ValidateRunAsync(request, Context(nameof(ValidateRunActivity), request.RunId)));

        Assert.Contains("w: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Empty(await storage.ListAsync("runs", $"{request.RunId}/", CancellationToken.None));
    }

    [Fact]
    public async Task AssembleAsync_ModelAWithConfigAndTokenizer_CardHasHubFrontMatterAndTheFilesAreCopied()
    {
        using var services = Services();
        var (functions, storage) = await BuildAsync(services);
        await DropFamilyAsync(storage, "asm", [2, 2]);
        await storage.WriteSmallAsync("checkpoints", "asm/a/v1/config.json", Encoding.UTF8.GetBytes("{\"model_type\": \"demo\"}"), null, CancellationToken.None);
        await storage.WriteSmallAsync("checkpoints", "asm/a/v1/tokenizer.json", Encoding.UTF8.GetBytes("{}"), null, CancellationToken.None);
        await storage.WriteSmallAsync("checkpoints", "asm/a/v1/notes.txt", Encoding.UTF8.GetBytes("not copied"), null, CancellationToken.None);
        var request = await RunRequestAsync(services, "asm");
        var plan = await functions.ValidateRunAsync(request, Context(nameof(ValidateRunActivity), request.RunId));

        await functions.AssembleAsync(new AssembleRequest(plan, request.Inputs, [], null), Context(nameof(AssembleActivity), request.RunId));

        var folder = $"asm/{request.RunId}/";
        Assert.Equal("{\"model_type\": \"demo\"}", await TextAsync(storage, "integrated", folder + "config.json"));
        Assert.Equal("{}", await TextAsync(storage, "integrated", folder + "tokenizer.json"));
        Assert.Null(await storage.ReadSmallAsync("integrated", folder + "notes.txt", 1 << 20, CancellationToken.None));
        var card = await TextAsync(storage, "integrated", folder + AssembleActivity.ModelCard);
        var lines = card.Split('\n');
        Assert.Equal("---", lines[0]);
        var end = Array.IndexOf(lines, "---", 1);
        Assert.Equal(
            [
                "library_name: \"transformers\"", "tags:", "- \"cki\"", "- \"merge\"", "- \"model-merging\"", "base_model:",
                "- \"checkpoints/asm/a/v1/model.safetensors\"", "- \"checkpoints/asm/b/v1/model.safetensors\"",
            ],
            lines[1..end]);
        Assert.StartsWith("# asm: integrated model", lines[end + 2], StringComparison.Ordinal);
    }

    /// <summary>A safetensors file with one F32 tensor "w" of shape [<paramref name="rows"/>, <paramref name="columns"/>], all zeros.</summary>
    internal static byte[] Safetensors(int rows, int columns) => new SafetensorsBuilder().F32("w", [rows, columns], 0).Build();

    /// <summary>Model a of shape [2, 2] and model b of <paramref name="shapeOfB"/> under <paramref name="family"/>, with the data-free manifest.</summary>
    internal static async Task DropFamilyAsync(WorkflowStorage storage, string family, int[] shapeOfB)
    {
        await new FamilyBuilder(family).Checkpoint("a", Safetensors(2, 2)).Checkpoint("b", Safetensors(shapeOfB[0], shapeOfB[1])).Manifest(DataFreeManifest)
            .UploadAsync((name, content) => storage.WriteSmallAsync("checkpoints", name, content, null, CancellationToken.None));
    }

    internal static async Task<string> TextAsync(WorkflowStorage storage, string container, string name) =>
        Encoding.UTF8.GetString((await storage.ReadSmallAsync(container, name, 1 << 20, CancellationToken.None))?.Content
            ?? throw new InvalidOperationException($"{container}/{name}: not written."));

    /// <summary>The worker's container (<see cref="FunctionsWorkflowServices.AddCkiFunctionsWorkflow"/>) with storage on <paramref name="azurite"/>.</summary>
    internal static ServiceProvider Services(AzuriteFixture azurite) =>
        new ServiceCollection().AddLogging().AddCkiFunctionsWorkflow(WorkflowServicesTests.Configuration(
            ("CkiStorage", azurite.ConnectionString), ("Cki:ComputeArguments", "/opt/cki/cki-compute.dll"))).BuildServiceProvider();

    // As RunStarter builds it from what the resolver found.
    private static async Task<RunRequest> RunRequestAsync(IServiceProvider services, string family)
    {
        var inputs = await services.GetRequiredService<InputResolver>().ResolveAsync(family, CancellationToken.None);
        Assert.True(inputs.Ready, inputs.Reason);
        return new RunRequest(inputs.RunId, family, inputs.ManifestETag, inputs.Inputs, "test", new WorkflowSettings().RunSettings);
    }

    private static RunInput Input(string source, string version) =>
        new(source, version, $"checkpoints/pub/{source}/{version}/model.safetensors", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    private static StandInFunctionContext Context(string function, string instanceId) =>
        new(function, new Dictionary<string, object?> { ["instanceId"] = instanceId });

    private ServiceProvider Services() => Services(azurite);

    private static async Task<(ActivityFunctions Functions, WorkflowStorage Storage)> BuildAsync(IServiceProvider services)
    {
        var storage = services.GetRequiredService<WorkflowStorage>();
        await storage.EnsureContainersAsync(CancellationToken.None);
        return (ActivatorUtilities.CreateInstance<ActivityFunctions>(services), storage);
    }
}
