using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;

namespace Cki.Host.Tests.Api;

/// <summary>
/// The local HTTP API's guards, through the real host: a token for state-changing calls, the Host header (DNS
/// rebinding) and the Origin header (other web pages) checked, security headers on every response.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed partial class ApiSecurityTests(AzuriteFixture azurite)
{
    // Incomplete (source c is missing): a run started over HTTP fails in validation, before any job.
    private static readonly string Manifest = FamilyManifestBuilder.DataFree("a", "b", "c").Build();

    [Fact]
    public async Task StartAndTerminate_WithoutOrWithWrongToken_Return401AndStartNoRun()
    {
        await using var harness = await StartAsync("NoToken");
        await HostHarness.DropAsync(harness.Storage, "notoken", Manifest, ["a", "b"]);
        using var anonymous = new HttpClient { BaseAddress = new Uri(harness.Host.Url) };

        using var none = await anonymous.PostAsync(new Uri("/api/runs/notoken", UriKind.Relative), null);
        using var wrong = await SendAsync(anonymous, HttpMethod.Post, "/api/runs/notoken", token: new string('0', 64));
        using var basic = await SendAsync(anonymous, HttpMethod.Post, "/api/runs/notoken", token: harness.ApiToken, scheme: "Basic");
        using var terminate = await anonymous.PostAsync(new Uri("/api/runs/notoken-0123456789abcdef/terminate", UriKind.Relative), null);
        var runsBefore = await harness.RunsAsync("notoken");
        using var withToken = await harness.Http().PostAsync(new Uri("/api/runs/notoken", UriKind.Relative), null);

        foreach (var response in new[] { none, wrong, basic, terminate })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.Contains("token", await ErrorAsync(response), StringComparison.Ordinal);
        }

        Assert.Empty(runsBefore);
        Assert.Equal(HttpStatusCode.Accepted, withToken.StatusCode);
        Assert.Single(await harness.RunsAsync("notoken"));
    }

    [Fact]
    public async Task ApiTokenFile_MadeAtFirstStart_IsRandomAndReadableByTheUserOnly()
    {
        var options = HostHarness.Settings(azurite, "TokenFile");
        if (File.Exists(options.ApiTokenFile))
        {
            File.Delete(options.ApiTokenFile);
        }

        string first;
        await using (var harness = await ApiHost.StartAsync(azurite, "TokenFile"))
        {
            first = harness.ApiToken;
        }

        await using var again = await ApiHost.StartAsync(azurite, "TokenFile");

        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(first, again.ApiToken);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.ApiTokenFile));
        }
    }

    [Fact]
    public async Task StartRun_ForeignOrigin_Returns403AndStartsNoRun_OwnOriginIsAccepted()
    {
        await using var harness = await StartAsync("Origin");
        await HostHarness.DropAsync(harness.Storage, "origin", Manifest, ["a", "b"]);
        using var http = harness.Http();

        using var foreign = await SendAsync(http, HttpMethod.Post, "/api/runs/origin", origin: "http://evil.example");
        using var nullOrigin = await SendAsync(http, HttpMethod.Post, "/api/runs/origin", origin: "null");
        using var otherPort = await SendAsync(http, HttpMethod.Post, "/api/runs/origin", origin: "http://127.0.0.1:1");
        var runsBefore = await harness.RunsAsync("origin");
        using var own = await SendAsync(http, HttpMethod.Post, "/api/runs/origin", origin: harness.Host.Url);

        foreach (var response in new[] { foreign, nullOrigin, otherPort })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Origin", await ErrorAsync(response), StringComparison.Ordinal);
        }

        Assert.Empty(runsBefore);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
    }

    [Fact]
    public async Task AnyRequest_ForeignHostHeader_Returns421WithoutThePage_LoopbackNamesAreServed()
    {
        await using var harness = await StartAsync("HostHeader");
        var port = new Uri(harness.Host.Url).Port;
        using var http = harness.Http();

        using var rebound = await SendAsync(http, HttpMethod.Get, "/api/runs", host: $"evil.example:{port}");
        using var noPort = await SendAsync(http, HttpMethod.Get, "/api/runs", host: "evil.example");
        using var otherPort = await SendAsync(http, HttpMethod.Get, "/api/runs", host: $"127.0.0.1:{port + 1}");
        using var page = await SendAsync(http, HttpMethod.Get, "/", host: $"rebind.example:{port}");
        using var localhost = await SendAsync(http, HttpMethod.Get, "/api/runs", host: $"localhost:{port}");
        using var ipv6 = await SendAsync(http, HttpMethod.Get, "/api/runs", host: $"[::1]:{port}");
        using var ipv4 = await SendAsync(http, HttpMethod.Get, "/api/runs", host: $"127.0.0.1:{port}");

        foreach (var response in new[] { rebound, noPort, otherPort, page })
        {
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.Contains("Host", await ErrorAsync(response), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(harness.ApiToken, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, localhost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ipv6.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ipv4.StatusCode);
    }

    [Fact]
    public async Task Responses_ApiErrorAndPage_CarryTheSecurityHeaders()
    {
        await using var harness = await StartAsync("Headers");
        using var http = harness.Http();
        using var anonymous = new HttpClient { BaseAddress = new Uri(harness.Host.Url) };

        using var list = await http.GetAsync(new Uri("/api/runs", UriKind.Relative));
        using var unauthorized = await anonymous.PostAsync(new Uri("/api/runs/headers", UriKind.Relative), null);
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));

        foreach (var response in new[] { list, unauthorized, page })
        {
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
            Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control is {response.Headers.CacheControl}");
            Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        }

        Assert.Equal("application/json", list.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/json", unauthorized.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Dashboard_ServedToLoopback_CarriesTheTokenAndRunsOnlyItsOwnFiles()
    {
        await using var harness = await StartAsync("Dashboard");
        using var http = new HttpClient { BaseAddress = new Uri(harness.Host.Url) };

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        using var script = await http.GetAsync(new Uri("/dashboard/dashboard.js", UriKind.Relative));
        var code = await script.Content.ReadAsStringAsync();
        using var unknown = await http.GetAsync(new Uri("/dashboard/other.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<meta name=\"cki-api-token\" content=\"{harness.ApiToken}\">", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        // No inline script or style: the only script is the page's own file.
        Assert.Single(Regex.Matches(html, "<script"));
        Assert.Contains("<script src=\"/dashboard/dashboard.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" onclick=", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Authorization: 'Bearer ' + token", code, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", code, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private Task<HostHarness> StartAsync(string taskHub) => ApiHost.StartAsync(azurite, taskHub);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token = null, string scheme = "Bearer",
        string? origin = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await http.SendAsync(request);
    }

    // The body of an error response: JSON with "error".
    internal static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString()!;
    }
}
