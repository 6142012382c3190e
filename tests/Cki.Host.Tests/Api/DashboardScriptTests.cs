using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cki.Host.Tests.Workflow;
using Cki.Testing;

namespace Cki.Host.Tests.Api;

/// <summary>
/// The dashboard's own script, as the host serves it, run by Node against a stand-in page and API (no browser here):
/// what it shows for a failed run and its jobs, and that it sends the token on every call.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
public sealed partial class DashboardScriptTests(AzuriteFixture azurite)
{
    // A stand-in document and fetch answering what the API answers for a failed run: one job's result says it
    // failed, the other job is only in the summary (it crashed twice without a result). Prints what the page shows.
    private const string StandIn = """
        const fs = require('fs');
        const elements = {};
        const element = id => elements[id] ??= { innerHTML: '', textContent: '', onclick: null };
        globalThis.document = {
          querySelector: q => q === 'meta[name="cki-api-token"]' ? { content: 'the-token' } : null,
          getElementById: element,
          querySelectorAll: () => [],
        };
        const run = { runId: 'fam-0123456789abcdef', family: 'fam', status: 'Failed', createdAt: '2026-01-01T00:00:00Z', lastUpdatedAt: '2026-01-01T00:01:00Z',
          progress: { phase: 'failed', jobsDone: 1, jobsTotal: 2, error: 'profile-b: gave no result after 2 attempt(s)' }, error: 'profile-b: gave no result after 2 attempt(s)' };
        const detail = { run, jobs: [{ runId: run.runId, jobId: 'profile-a', kind: 'profile', succeeded: false, error: 'non-finite values in w', seconds: 1.5 }],
          summary: { runId: run.runId, family: 'fam', outcome: 'failed', error: run.error, jobs: [
            { jobId: 'profile-a', kind: 'profile', attempts: 1, seconds: 1.5, succeeded: false },
            { jobId: 'profile-b', kind: 'profile', attempts: 2, seconds: 0, succeeded: false }] } };
        const authorizations = [];
        globalThis.fetch = async (path, options) => {
          authorizations.push(((options || {}).headers || {}).Authorization ?? null);
          return { ok: true, status: 200, statusText: 'OK', json: async () => path === '/api/runs' ? [run] : detail };
        };
        globalThis.setInterval = () => 0;
        eval(fs.readFileSync(process.argv[2], 'utf8') + '\n;globalThis.show = async id => { selected = id; await refresh(); };');
        (async () => {
          await show(run.runId);
          console.log(JSON.stringify({ runs: element('runs').innerHTML, detail: element('detail').innerHTML, message: element('message').textContent, authorizations }));
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task Dashboard_FailedRunWithAFailedJobAndAJobWithoutResult_ShowsTheReasonAndNeitherJobAsOk()
    {
        string page;
        await using (var harness = await ApiHost.StartAsync(azurite, "DashboardScript"))
        {
            using var http = new HttpClient { BaseAddress = new Uri(harness.Host.Url) };
            page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        }

        var shown = await RunAsync(Script().Match(page).Groups[1].Value);

        var runs = shown.GetProperty("runs").GetString()!;
        Assert.Contains("profile-b: gave no result after 2 attempt(s)", runs, StringComparison.Ordinal);
        Assert.Contains("1/2", runs, StringComparison.Ordinal);
        var rows = JobRow().Matches(shown.GetProperty("detail").GetString()!).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(new Dictionary<string, string> { ["profile-a"] = "failed", ["profile-b"] = "no result" }, rows);
        Assert.Contains("<pre>profile-b: gave no result after 2 attempt(s)</pre>", shown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("", shown.GetProperty("message").GetString());
        Assert.All(shown.GetProperty("authorizations").EnumerateArray(), a => Assert.Equal("Bearer the-token", a.GetString()));
    }

    private static async Task<JsonElement> RunAsync(string script)
    {
        using var scratch = new ScratchFolder();
        var page = scratch.File("dashboard.js");
        var standIn = scratch.File("stand-in.js");
        await File.WriteAllTextAsync(page, script);
        await File.WriteAllTextAsync(standIn, StandIn);
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(standIn);
        info.ArgumentList.Add(page);
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, await errors);
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    [GeneratedRegex("<script(?: nonce=\"[^\"]*\")?>(.*)</script>", RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex("<tr><td>([a-z]+-[a-z]+)</td><td>[a-z]+</td><td[^>]*>([^<]*)</td>")]
    private static partial Regex JobRow();
}
