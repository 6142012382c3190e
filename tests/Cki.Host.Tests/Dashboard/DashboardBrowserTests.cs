using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Workflow.Activities;
using Microsoft.DurableTask.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Cki.Host.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium driven by Playwright) against cki-host on Azurite, with one run
/// that completed (the synthetic task, learned CKI, evaluated) and one that failed in validation. What the page shows
/// is compared with what storage holds, read here without the API. Screenshots go to <c>TestResults/dashboard/</c>.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class DashboardBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string CompletedManifest = SyntheticFamily.LearnedCkiManifest();

    // A key that is markup: the page must show it as text (family names and manifests are user input).
    private const string FailedManifest = "task: none\nsources: [a, b]\n<i>shards</i>: 2\n";

    [Fact]
    public async Task Dashboard_CompletedAndFailedRun_ListTimelineMetricsHeatmapAndReason()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does it)");
        var clock = Stopwatch.StartNew();
        using var scratch = new ScratchFolder();
        var family = Task.Run(() => SyntheticFamily.Make(scratch.File("family")));
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "DashboardBrowser") with { MaxConcurrentJobs = 2 });
        await HostHarness.DropAsync(harness.Storage, "dash-failed", FailedManifest, ["a", "b"]);
        foreach (var source in new[] { "a", "b" })
        {
            await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile("dash-done", source, "v1", CheckpointFileNames.SingleFile),
                await File.ReadAllBytesAsync(Path.Combine(await family, source, CheckpointFileNames.SingleFile)));
        }

        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest("dash-done"), Encoding.UTF8.GetBytes(CompletedManifest));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.ReadyMarker("dash-done"), []);
        var failed = await harness.WaitForRunAsync("dash-failed", TimeSpan.FromMinutes(1));
        var done = await harness.WaitForRunAsync("dash-done", TimeSpan.FromMinutes(3));
        HostHarness.AssertCompleted(done);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        var runsReady = clock.Elapsed;

        // What storage holds, read without the API.
        var jobs = await JobResultsAsync(harness, done.InstanceId);
        var report = JobJson.Deserialize<RunSummary>((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer,
            BlobLayout.IntegratedFile("dash-done", done.InstanceId, "report.json"), 1 << 20, default))!.Value.Content, "report.json");
        var heatmaps = await HeatmapsAsync(harness, done.InstanceId);
        Assert.NotEmpty(heatmaps);
        // The published run's static plots (metrics bars, each model's share per layer and per tensor): PNGs, shown by
        // its report and model card, so that the results read without the dashboard.
        foreach (var plot in new[] { WriteReportActivity.MetricsPlot, LayerSharePlot.FileName, "model-00001-of-00001.compatibility.png" })
        {
            var png = (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedFile("dash-done", done.InstanceId, plot), 1 << 24, default))?.Content;
            Assert.True(png is not null, $"{plot} was not written");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            await File.WriteAllBytesAsync(Path.Combine(Screenshots, plot), png);
            foreach (var document in new[] { "report.md", "README.md" })
            {
                var text = Encoding.UTF8.GetString((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer,
                    BlobLayout.IntegratedFile("dash-done", done.InstanceId, document), 1 << 20, default))!.Value.Content);
                Assert.Contains($"]({plot})", text, StringComparison.Ordinal);
            }
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(scratch.File("profile"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            ViewportSize = new ViewportSize { Width = 1300, Height = 900 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                scriptErrors.Add(message.Text);
            }
        };

        // The list: both runs, with their status and job progress.
        await page.GotoAsync(harness.Host.Url + "/");
        var doneRow = page.Locator($"#runs tr[data-run='{done.InstanceId}']");
        await doneRow.WaitForAsync();
        Assert.True(await page.Locator("#newer").IsDisabledAsync() && await page.Locator("#older").IsDisabledAsync(), "two runs fill less than one page");
        var failedRow = page.Locator($"#runs tr[data-run='{failed.InstanceId}']");
        await doneRow.WaitForAsync();
        await failedRow.WaitForAsync();
        Assert.Equal("Completed", await doneRow.Locator("td").Nth(2).InnerTextAsync());
        Assert.Equal("Failed", await failedRow.Locator("td").Nth(2).InnerTextAsync());
        Assert.Equal($"{jobs.Count}/{jobs.Count}", (await doneRow.Locator("td.progress").InnerTextAsync()).Trim());
        Assert.Equal("0/0", (await failedRow.Locator("td.progress").InnerTextAsync()).Trim());
        var integratedAuc = report.Evaluation.Single(r => r.Target == "integrated").Metrics["test.auc"];
        Assert.StartsWith($"auc {integratedAuc.ToString("F4", CultureInfo.InvariantCulture)} vs ", await doneRow.Locator("td").Nth(7).InnerTextAsync(), StringComparison.Ordinal);
        await Screenshot(page, "runs-list.png");

        // The completed run: every job on the timeline and in the job table, the metrics, a heatmap per spliced tensor.
        await page.GotoAsync($"{harness.Host.Url}/#/runs/{Uri.EscapeDataString(done.InstanceId)}");
        await page.Locator("#heatmaps canvas").First.WaitForAsync();
        foreach (var job in jobs)
        {
            Assert.Equal("succeeded", await page.Locator($"svg.timeline g.entry[data-name='{job.JobId}']").GetAttributeAsync("data-outcome"));
            Assert.StartsWith("succeeded", await page.Locator($"#jobs tr[data-job='{job.JobId}'] td").Nth(4).InnerTextAsync(), StringComparison.Ordinal);
        }

        foreach (var step in new[] { "validate", "assemble", "report", "publish" })
        {
            Assert.Equal("succeeded", await page.Locator($"svg.timeline g.entry[data-name='{step}']").First.GetAttributeAsync("data-outcome"));
        }

        Assert.Equal(jobs.Count, await page.Locator("#jobs tbody tr").CountAsync());
        Assert.Equal(report.Evaluation.Count, await page.Locator("#metrics tbody tr").CountAsync());
        var metricColumns = await page.Locator("#metrics thead th").AllInnerTextsAsync();
        var aucCell = page.Locator("#metrics tr[data-target='integrated'] td").Nth(metricColumns.ToList().IndexOf("test.auc"));
        Assert.Equal(integratedAuc.ToString("F4", CultureInfo.InvariantCulture), await aucCell.InnerTextAsync());
        Assert.Equal(heatmaps.Count, await page.Locator("#heatmaps canvas").CountAsync());
        // The bars per tensor are the models' MEAN WEIGHTS (soft splicing averages every model), not the share of elements won.
        using (var http = harness.Http())
        {
            using var compatibility = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/runs/{Uri.EscapeDataString(done.InstanceId)}/compatibility", UriKind.Relative)));
            var meanWeights = compatibility.RootElement.GetProperty("tensors")[0].GetProperty("meanWeight").EnumerateArray()
                .Select(w => w.GetDouble().ToString("F4", CultureInfo.InvariantCulture)).ToList();
            var bars = await page.Locator("svg.shares rect").EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('data-weight'))");
            Assert.Equal(meanWeights, bars.Take(meanWeights.Count));
        }

        var first = heatmaps[0];
        var pixel = JsonSerializer.Deserialize<int[]>(await page.EvaluateAsync<string>(
            "t => JSON.stringify(Array.from(document.querySelector(`#heatmaps canvas[data-tensor=\"${t}\"]`).getContext('2d').getImageData(1, 1, 1, 1).data))", first.Tensor))!;
        // Cell (0, 0) in the colour of its winning model, as opaque as that model's share of the cell.
        var colour = ModelColours.Of(first.Winner[0]);
        Assert.Equal(colour, string.Create(CultureInfo.InvariantCulture, $"#{pixel[0]:x2}{pixel[1]:x2}{pixel[2]:x2}"));
        Assert.InRange(pixel[3], (int)((0.35 + (0.65 * first.Share[0])) * 255) - 2, (int)((0.35 + (0.65 * first.Share[0])) * 255) + 2);
        foreach (var plot in new[] { WriteReportActivity.MetricsPlot, LayerSharePlot.FileName })
        {
            Assert.Equal(1, await page.Locator($"#outputs a:text-is('{plot}')").CountAsync());
        }

        await Screenshot(page, "run-completed.png");

        // The failed run: its reason, shown as text.
        var reason = JobJson.Deserialize<RunSummary>((await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(failed.InstanceId),
            1 << 20, default))!.Value.Content, "summary.json").Error ?? "";
        Assert.Contains("<i>shards</i>", reason, StringComparison.Ordinal);
        await page.GotoAsync($"{harness.Host.Url}/#/runs/{Uri.EscapeDataString(failed.InstanceId)}");
        await page.Locator("#error").WaitForAsync();
        Assert.Contains(reason, await page.Locator("#error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#error i").CountAsync());
        Assert.Equal("failed", await page.Locator("svg.timeline g.entry[data-name='validate']").GetAttributeAsync("data-outcome"));
        await Screenshot(page, "run-failed.png");

        Assert.Empty(scriptErrors);
        output.WriteLine($"runs ready after {runsReady.TotalSeconds:F1} s; whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<List<JobResult>> JobResultsAsync(HostHarness harness, string runId)
    {
        var results = new List<JobResult>();
        foreach (var blob in await harness.Storage.ListAsync(BlobLayout.RunsContainer, BlobLayout.RunPrefix(runId), default))
        {
            if (BlobLayout.TryParseJobResult(blob.Name, out _, out _))
            {
                var read = await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, blob.Name, JobJson.MaxDocumentBytes, default);
                results.Add(JobJson.Deserialize<JobResult>(read!.Value.Content, blob.Name));
            }
        }

        return results;
    }

    private static async Task<List<TensorHeatmap>> HeatmapsAsync(HostHarness harness, string runId)
    {
        var prefix = BlobLayout.IntegratedRunPrefix("dash-done", runId);
        var heatmaps = new List<TensorHeatmap>();
        foreach (var blob in (await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, prefix, default)).Where(b => b.Name.EndsWith(CheckpointFileNames.HeatmapsSuffix, StringComparison.Ordinal)))
        {
            var read = await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, blob.Name, JobJson.MaxDocumentBytes, default);
            heatmaps.AddRange(JobJson.Deserialize<CompatibilityHeatmaps>(read!.Value.Content, blob.Name).Tensors);
        }

        return heatmaps;
    }

    // The test's pictures, beside the results CI keeps (TestResults/ at the repository's root).
    private static string Screenshots => Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults", "dashboard")).FullName;

    private static async Task Screenshot(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name), FullPage = true });
}
