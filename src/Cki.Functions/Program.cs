using Cki.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddCkiFunctionsWorkflow(builder.Configuration);
builder.Services.AddCkiTelemetry(builder.Configuration);
builder.Build().Run();
