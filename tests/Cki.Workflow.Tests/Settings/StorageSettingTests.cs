using Azure.Storage.Blobs;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Tests.Settings;

/// <summary>The one storage connection, registered through Microsoft.Extensions.Azure.</summary>
public class StorageSettingTests
{
    [Fact]
    public void AddCkiStorage_ConnectionString_GivesTheWorkflowAClientOfThatAccount()
    {
        using var services = new ServiceCollection().AddLogging()
            .AddCkiStorage(StorageSetting.FromConnectionString("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10999/acct;"))
            .BuildServiceProvider();

        Assert.Equal(new Uri("http://127.0.0.1:10999/acct"), services.GetRequiredService<WorkflowStorage>().AccountUrl);
        Assert.Same(services.GetRequiredService<BlobServiceClient>(), services.GetRequiredService<BlobServiceClient>());
    }

    [Fact]
    public void AddCkiStorage_AzureSdkLog_PassesErrorsButNotTheWarningsOfMissingBlobs()
    {
        var seen = new List<(string Category, LogLevel Level)>();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new Recording(seen)))
            .AddCkiStorage(StorageSetting.FromConnectionString(StorageSetting.DevelopmentStorage))
            .BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        Write(loggers.CreateLogger("Azure.Core"), LogLevel.Warning, "404 The specified blob does not exist.");
        Write(loggers.CreateLogger("Azure.Core"), LogLevel.Error, "the service is unreachable");
        Write(loggers.CreateLogger("Cki.Workflow.Runs"), LogLevel.Warning, "a warning of our own");

        Assert.Equal([("Azure.Core", LogLevel.Error), ("Cki.Workflow.Runs", LogLevel.Warning)], seen);
    }

    // ILogger's own method, as the SDK's forwarder calls it.
    private static void Write(ILogger logger, LogLevel level, string message) => logger.Log(level, default, message, null, (text, _) => text);

    private sealed class Recording(List<(string Category, LogLevel Level)> seen) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, seen);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, List<(string Category, LogLevel Level)> seen) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                seen.Add((category, logLevel));
        }
    }
}
