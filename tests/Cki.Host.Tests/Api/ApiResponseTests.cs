using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;

namespace Cki.Host.Tests.Api;

/// <summary>What the HTTP API answers, through the real host: a failed run's reason, the family filter, and a JSON body for every error.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ApiResponseTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ListAndGet_FailedRun_ErrorIsTheReasonAndProgressIsCamelCase()
    {
        await using var harness = await StartAsync("Reason");
        await HostHarness.DropAsync(harness.Storage, "reason", FamilyManifestBuilder.DataFree("a", "b", "c").Build(), ["a", "b"]);
        using var http = harness.Http();
        using var started = await http.PostAsync(new Uri("/api/runs/reason", UriKind.Relative), null);
        var run = await harness.WaitForRunAsync("reason", TimeSpan.FromMinutes(2));

        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/runs?family=reason", UriKind.Relative)));
        using var detail = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/runs/{run.InstanceId}", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var listed = Assert.Single(list.RootElement.EnumerateArray());
        foreach (var view in new[] { listed, detail.RootElement.GetProperty("run") })
        {
            Assert.Equal("Failed", view.GetProperty("status").GetString());
            Assert.Contains("checkpoints/reason/c/", view.GetProperty("error").GetString(), StringComparison.Ordinal);
            var progress = view.GetProperty("progress");
            Assert.Equal("failed", progress.GetProperty("phase").GetString());
            Assert.Equal(0, progress.GetProperty("jobsTotal").GetInt32());
            Assert.Equal(view.GetProperty("error").GetString(), progress.GetProperty("error").GetString());
            Assert.False(progress.TryGetProperty("Phase", out _));
        }

        var summary = detail.RootElement.GetProperty("summary");
        Assert.Equal("failed", summary.GetProperty("outcome").GetString());
        Assert.Equal(run.InstanceId, summary.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task ListRuns_FamilyThatPrefixesAnother_ListsOnlyItsOwnRuns()
    {
        await using var harness = await StartAsync("Prefix");
        await HostHarness.DropAsync(harness.Storage, "bad", FamilyManifestBuilder.DataFree("a", "b", "c").Build(), ["a", "b"]);
        await HostHarness.DropAsync(harness.Storage, "bad-x", FamilyManifestBuilder.DataFree("a", "b", "c").Build(), ["a", "b"]);
        using var http = harness.Http();
        using var bad = await http.PostAsync(new Uri("/api/runs/bad", UriKind.Relative), null);
        using var badX = await http.PostAsync(new Uri("/api/runs/bad-x", UriKind.Relative), null);
        var badRun = (await JsonDocument.ParseAsync(await bad.Content.ReadAsStreamAsync())).RootElement.GetProperty("runId").GetString();
        var badXRun = (await JsonDocument.ParseAsync(await badX.Content.ReadAsStreamAsync())).RootElement.GetProperty("runId").GetString();

        var listed = await RunIdsAsync(http, "/api/runs?family=bad");
        var listedX = await RunIdsAsync(http, "/api/runs?family=bad-x");

        Assert.StartsWith("bad-x-", badXRun, StringComparison.Ordinal);
        Assert.Equal([badRun], listed);
        Assert.Equal([badXRun], listedX);

        // Pages of the whole list (newest first): one run each, together the list; a bad page is a 400 naming it.
        var all = await RunIdsAsync(http, "/api/runs");
        var pages = new List<string?>();
        for (var offset = 0; offset < all.Count + 1; offset++)
        {
            pages.AddRange(await RunIdsAsync(http, $"/api/runs?offset={offset}&limit=1"));
        }

        Assert.Equal(all, pages);
        using var badPage = await http.GetAsync(new Uri("/api/runs?limit=501", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Contains("limit: '501' is not a whole number from 1 to 500", await ApiSecurityTests.ErrorAsync(badPage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRun_ManifestOver64KB_AnswersWithJsonNotAnEmpty500()
    {
        await using var harness = await StartAsync("Huge");
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest("huge"),
            Encoding.UTF8.GetBytes("# padding\n" + new string('#', 70 * 1024) + "\n" + FamilyManifestBuilder.DataFree("a", "b").Build()));
        using var http = harness.Http();

        using var response = await http.PostAsync(new Uri("/api/runs/huge", UriKind.Relative), null);
        // The tests share one Azurite: a family no pass can read must not outlive this test (the nightly test lists every family).
        await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobLayout.CheckpointsContainer)
            .DeleteBlobIfExistsAsync(BlobLayout.FamilyManifest("huge"));

        // Rejected here (422 naming the manifest), or, once the starter turns it into a failed run, started: never a bare fault.
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("checkpoints/huge/cki.yaml", await ApiSecurityTests.ErrorAsync(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Errors_UnknownRunRouteOrBadFilter_AnswerWithAJsonErrorAndAFittingStatus()
    {
        await using var harness = await StartAsync("Errors");
        using var http = harness.Http();

        using var unknownRun = await http.GetAsync(new Uri("/api/runs/nope-0123456789abcdef", UriKind.Relative));
        using var unknownTerminate = await http.PostAsync(new Uri("/api/runs/nope-0123456789abcdef/terminate", UriKind.Relative), null);
        using var unknownRoute = await http.GetAsync(new Uri("/api/nothing", UriKind.Relative));
        using var badStatus = await http.GetAsync(new Uri("/api/runs?status=bogus", UriKind.Relative));
        using var badFrom = await http.GetAsync(new Uri("/api/runs?from=yesterday", UriKind.Relative));
        using var badFamily = await http.PostAsync(new Uri("/api/runs/a%5Cb", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        Assert.Contains("nope-0123456789abcdef", await ApiSecurityTests.ErrorAsync(unknownRun), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownTerminate.StatusCode);
        Assert.Contains("nope-0123456789abcdef", await ApiSecurityTests.ErrorAsync(unknownTerminate), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Contains("/api/nothing", await ApiSecurityTests.ErrorAsync(unknownRoute), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("'bogus'", await ApiSecurityTests.ErrorAsync(badStatus), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFrom.StatusCode);
        Assert.Contains("from: 'yesterday'", await ApiSecurityTests.ErrorAsync(badFrom), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFamily.StatusCode);
        Assert.Contains("family name 'a\\b' is not valid", await ApiSecurityTests.ErrorAsync(badFamily), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_TargetOrHeadersOverTheLimit_AnswerWithAJsonErrorNotKestrelsEmptyBody()
    {
        await using var harness = await StartAsync("Limits");
        using var http = harness.Http();

        using var longTarget = await http.GetAsync(new Uri("/api/runs?family=" + new string('a', 9000), UriKind.Relative));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/runs", UriKind.Relative));
        bigHeaders.Headers.Add("X-Padding", new string('p', 40_000));
        using var bigHeadersAnswer = await http.SendAsync(bigHeaders);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, longTarget.StatusCode);
        Assert.Contains("over the limit of 8192", await ApiSecurityTests.ErrorAsync(longTarget), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeadersAnswer.StatusCode);
        Assert.Contains("over the limit of 32768", await ApiSecurityTests.ErrorAsync(bigHeadersAnswer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_ShardOver16MB_IsStreamedWhole()
    {
        await using var harness = await StartAsync("BigOutput");
        const string RunId = "big-0123456789abcdef";
        var shard = new byte[20 << 20];
        new Random(5).NextBytes(shard);
        await HostHarness.PutAsync(harness.Storage, BlobLayout.IntegratedContainer, BlobLayout.IntegratedFile("big", RunId, "model-00001-of-00001.safetensors"), shard);
        using var http = harness.Http();

        using var response = await http.GetAsync(new Uri($"/api/runs/{RunId}/outputs/model-00001-of-00001.safetensors", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(shard.AsSpan().SequenceEqual(body), "the shard came back changed");
    }

    private Task<HostHarness> StartAsync(string taskHub) => ApiHost.StartAsync(azurite, taskHub);

    private static async Task<List<string?>> RunIdsAsync(HttpClient http, string path)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)));
        return [.. list.RootElement.EnumerateArray().Select(r => r.GetProperty("runId").GetString())];
    }
}
