var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:7071");
var app = builder.Build();
app.MapGet("/api/health", () => "ok");
await app.RunAsync().ConfigureAwait(false);
