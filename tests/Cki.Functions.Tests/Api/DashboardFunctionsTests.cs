using System.Net;
using Cki.Functions.Api;

namespace Cki.Functions.Tests.Api;

/// <summary>The Functions app serves the same dashboard as cki-host, under its own policy, and nothing else by that route.</summary>
public sealed class DashboardFunctionsTests
{
    [Fact]
    public async Task PageAsync_ThePageWithItsFilesUnderApiDashboard_NoTokenAndOnlyItsOwnScript()
    {
        var response = Assert.IsType<StandInHttpResponseData>(await DashboardFunctions.PageAsync(new StandInHttpRequestData("GET", "http://localhost/api/dashboard?code=k"),
            CancellationToken.None));

        var html = response.Text();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<meta name=\"cki-api-token\" content=\"\">", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/api/dashboard/dashboard.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dashboard.js", HttpStatusCode.OK, "text/javascript; charset=utf-8")]
    [InlineData("dashboard.css", HttpStatusCode.OK, "text/css; charset=utf-8")]
    [InlineData("index.html", HttpStatusCode.NotFound, "application/json; charset=utf-8")]
    [InlineData("..", HttpStatusCode.NotFound, "application/json; charset=utf-8")]
    public async Task FileAsync_OnlyThePagesScriptAndStyle(string file, HttpStatusCode status, string type)
    {
        var response = Assert.IsType<StandInHttpResponseData>(await DashboardFunctions.FileAsync(new StandInHttpRequestData("GET", "http://localhost/api/dashboard/" + file),
            file, CancellationToken.None));

        Assert.Equal((status, type), (response.StatusCode, response.Headers.GetValues("Content-Type").Single()));
    }
}
