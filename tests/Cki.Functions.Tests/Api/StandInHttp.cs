using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Cki.Functions.Tests.Api;

/// <summary>
/// A stand-in for the HTTP request the Functions host hands an HTTP trigger: the host cannot run here (STACK.md), so
/// the tests call the functions directly with this. It has a URL (whose query the functions read), a method, an
/// empty body, and makes <see cref="StandInHttpResponseData"/> responses. Cookies and identities are not supported.
/// </summary>
internal sealed class StandInHttpRequestData(string method, string url) : HttpRequestData(new StandInFunctionContext("http"))
{
    public override Stream Body { get; } = new MemoryStream();

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies => throw new NotSupportedException();

    public override Uri Url { get; } = new(url);

    public override IEnumerable<ClaimsIdentity> Identities => throw new NotSupportedException();

    public override string Method { get; } = method;

    public override HttpResponseData CreateResponse() => new StandInHttpResponseData(FunctionContext);
}

/// <summary>A stand-in for the host's HTTP response: keeps status, headers and body in memory for the test to read.</summary>
internal sealed class StandInHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies => throw new NotSupportedException();

    /// <summary>The body as text.</summary>
    public string Text() => Encoding.UTF8.GetString(((MemoryStream)Body).ToArray());

    /// <summary>The body as JSON.</summary>
    public JsonElement Json() => JsonDocument.Parse(((MemoryStream)Body).ToArray()).RootElement.Clone();
}
