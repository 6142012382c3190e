using System.Text;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Host.Tests.Workflow;

/// <summary>
/// Promotion with real runs (real host over Azurite, real jobs on the synthetic task): the first run publishes its best
/// candidate on validation; a new drop whose every candidate is no better than the published model is held, and
/// latest.json keeps the champion, which the second run evaluated again.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class PromotionTests(AzuriteFixture azurite)
{
    private const string Family = "promo";

    private static readonly string Manifest = SyntheticFamily.LearnedCkiManifest("promotion:\n  policy: best\n");

    [Fact]
    public async Task BestPolicy_FirstRunPublishesTheBestOnValidation_ANoBetterDropIsHeldAndLatestKeepsTheChampion()
    {
        using var scratch = new ScratchFolder();
        var family = SyntheticFamily.Make(scratch.File("family"));
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Promotion") with { BlobTriggers = false, MaxConcurrentJobs = 2 });
        var a = await File.ReadAllBytesAsync(Path.Combine(family, "a", CheckpointFileNames.SingleFile));
        var b = await File.ReadAllBytesAsync(Path.Combine(family, "b", CheckpointFileNames.SingleFile));
        await PutAsync(harness, "a", "v1", a);
        await PutAsync(harness, "b", "v1", b);
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest(Family), Encoding.UTF8.GetBytes(Manifest));

        var first = await RunAsync(harness);
        var firstReport = await ReportAsync(harness, first);
        var latest = await LatestAsync(harness);

        // Published: the candidate of 1x cost with the best VALIDATION AUC, checked against the evaluation table.
        var decision = firstReport.Decision!;
        Assert.Equal(("best", "auc", "completed"), (decision.Policy, decision.Metric, firstReport.Outcome));
        var best = firstReport.Evaluation.Where(r => r.InferenceCost == 1).MaxBy(r => r.Metrics["validation.auc"])!;
        Assert.Equal(Name(best.Target), decision.Chosen);
        Assert.Equal(best.Metrics["validation.auc"], decision.Candidates.Single(c => c.Name == decision.Chosen).Validation, 6);
        Assert.Equal((first, decision.Chosen), (latest.RunId, latest.Candidate));
        Assert.Equal((decision.Chosen, decision.Reason), (latest.Decision?.Chosen, latest.Decision?.Reason));

        // b v2 is a copy of a: every candidate of the second run (inputs, integration, average) is model a again, which the
        // champion (the best of the first run, model a included) matches at best; a tie keeps the champion.
        await PutAsync(harness, "b", "v2", a);
        var second = await RunAsync(harness);
        var secondReport = await ReportAsync(harness, second);

        Assert.Equal("held", secondReport.Outcome);
        Assert.Equal((CandidateNames.Champion, false), (secondReport.Decision!.Chosen, secondReport.Decision.Publish));
        Assert.Equal(decision.Candidates.Single(c => c.Name == decision.Chosen).Validation,
            secondReport.Decision.Candidates.Single(c => c.Name == CandidateNames.Champion).Validation, 6);
        Assert.StartsWith("held: the published model is still the best", secondReport.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(first, (await LatestAsync(harness)).RunId);
        var markdown = Encoding.UTF8.GetString((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer,
            BlobLayout.IntegratedFile(Family, second, "report.md"), 1 << 20, default))!.Value.Content);
        Assert.Contains("**Decision (best, on validation auc):** held:", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retraining_HasItsComputeMatchedControl_TheBestInputTrainedAsLong_AndTheListSaysWhatWasPublished()
    {
        using var scratch = new ScratchFolder();
        var family = SyntheticFamily.Make(scratch.File("family"));
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "PromotionControl") with { BlobTriggers = false, MaxConcurrentJobs = 2 });
        await PutAsync(harness, "a", "v1", await File.ReadAllBytesAsync(Path.Combine(family, "a", CheckpointFileNames.SingleFile)));
        await PutAsync(harness, "b", "v1", await File.ReadAllBytesAsync(Path.Combine(family, "b", CheckpointFileNames.SingleFile)));
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest(Family),
            Encoding.UTF8.GetBytes(Manifest.Replace("shards: 1", "shards: 1\nretrain_epochs: 1", StringComparison.Ordinal)));

        var run = await RunAsync(harness);
        var report = await ReportAsync(harness, run);

        // The control starts from the input that is best on VALIDATION, and is a candidate like the retrained model.
        var bestInput = report.Evaluation.Where(r => r.Target.StartsWith("input ", StringComparison.Ordinal)).MaxBy(r => r.Metrics["validation.auc"])!;
        Assert.Contains(report.Evaluation, r => r.Target == $"control: {bestInput.Target} + 1 epoch(s)");
        Assert.Contains(report.Evaluation, r => r.Target == "integrated + 1 retraining epoch(s)");
        Assert.Contains(report.Decision!.Candidates, c => c.Name == CandidateNames.Control);
        Assert.Contains(report.Decision.Candidates, c => c.Name == CandidateNames.Retrained);
        using var http = harness.Http();
        using var listed = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/runs?family={Family}", UriKind.Relative)));
        var view = listed.RootElement[0];
        Assert.Equal(("completed", report.Decision.Chosen), (view.GetProperty("outcome").GetString(), view.GetProperty("published").GetString()));
    }

    private static string Name(string target) => target switch
    {
        "output ensemble" => CandidateNames.Ensemble,
        _ when target.StartsWith("integrated + ", StringComparison.Ordinal) => CandidateNames.Retrained,
        _ when target.StartsWith("control: ", StringComparison.Ordinal) => CandidateNames.Control,
        _ => target,
    };

    private static Task PutAsync(HostHarness harness, string source, string version, byte[] model) =>
        HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile(Family, source, version, CheckpointFileNames.SingleFile), model);

    private static async Task<string> RunAsync(HostHarness harness)
    {
        var runId = (await harness.Host.App.Services.GetRequiredService<Cki.Workflow.Triggers.RunStarter>().StartAsync(Family, "http", false, CancellationToken.None)).RunId!;
        await HostHarness.WaitUntilAsync(async () => await harness.Client.GetInstanceAsync(runId) is { IsCompleted: true }, TimeSpan.FromMinutes(4), $"end of {runId}");
        HostHarness.AssertCompleted((await harness.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!);
        return runId;
    }

    private static async Task<RunSummary> ReportAsync(HostHarness harness, string runId) =>
        JobJson.Deserialize<RunSummary>((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedFile(Family, runId, "report.json"), 1 << 20, default))!
            .Value.Content, "report.json");

    private static async Task<PublishedRun> LatestAsync(HostHarness harness) =>
        JobJson.Deserialize<PublishedRun>((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(Family), 1 << 20, default))!
            .Value.Content, "latest.json");
}
