using Azure.Identity;
using Azure.Storage.Blobs;
using Cki.Workflow.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Settings;

/// <summary>
/// The one storage connection, <c>CkiStorage</c>, read the Azure SDK way (Microsoft.Extensions.Azure): either a
/// connection string (Azurite locally, the default), or a section with <c>blobServiceUri</c> and optionally
/// <c>clientId</c> of a user-assigned managed identity (<c>CkiStorage__blobServiceUri</c> as app settings). It is a
/// top-level name, not under <c>Cki</c>, because the Functions host's blob triggers take it as their connection and
/// resolve only top-level names; the workflow's own client reads the same one. cki-host gives it from its
/// <c>Cki:Storage</c> setting (a connection string).
/// </summary>
public static class StorageSetting
{
    /// <summary>Azurite's development account on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The connection's name.</summary>
    public const string Name = "CkiStorage";

    /// <summary>The key of the account's blob endpoint in the section form.</summary>
    public const string BlobServiceUri = "blobServiceUri";

    /// <summary>The log category prefix of the Azure SDK's forwarded events.</summary>
    public const string AzureSdkLogCategory = "Azure";

    /// <summary>The key of the managed identity's client id in the section form.</summary>
    public const string ClientId = "clientId";

    /// <summary>Whether the connection is in the section form (a service URI with a credential) rather than a connection string.</summary>
    public static bool IsServiceUri(IConfiguration configuration) =>
        configuration.GetSection(Name) is { Value: null } section && section.GetChildren().Any();

    /// <summary>The blob endpoint of the section form; an error naming the key when it is missing or not an absolute URL.</summary>
    /// <exception cref="SettingsException">No absolute <c>blobServiceUri</c> under the connection.</exception>
    public static Uri ServiceUri(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration.GetSection(Name)[BlobServiceUri];
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new SettingsException($"{Name}:{BlobServiceUri}: expected the account's blob endpoint (https://{{account}}.blob.core.windows.net/); got '{text}'.");
    }

    /// <summary>The connection string, or null in the section form (a service URI; a job then signs in with its own identity).</summary>
    public static string? ConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Name);
        return IsServiceUri(configuration) ? null : string.IsNullOrWhiteSpace(section.Value) ? DevelopmentStorage : section.Value;
    }

    /// <summary>A configuration holding only <paramref name="connectionString"/> as the connection (cki-host's way).</summary>
    public static IConfiguration FromConnectionString(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(Name, connectionString)]).Build();

    /// <summary>
    /// Registers the account's <see cref="BlobServiceClient"/> through Microsoft.Extensions.Azure and the workflow's
    /// <see cref="WorkflowStorage"/> over it, as <paramref name="configuration"/>'s <c>CkiStorage</c> says.
    /// </summary>
    public static IServiceCollection AddCkiStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Name);
        services.AddAzureClients(clients =>
        {
            if (IsServiceUri(configuration))
            {
                clients.AddBlobServiceClient(ServiceUri(configuration));
                clients.UseCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section[ClientId] }));
            }
            else
            {
                clients.AddBlobServiceClient(ConnectionString(configuration)!);
            }
        });
        services.AddSingleton(provider => new WorkflowStorage(provider.GetRequiredService<BlobServiceClient>()));
        // Microsoft.Extensions.Azure forwards the Azure SDK's own log to ILogger; there a missing blob is a warning, but
        // here it is a normal answer (the triggers and activities ask for blobs that may not exist yet): errors only.
        services.AddLogging(logging => logging.AddFilter(AzureSdkLogCategory, LogLevel.Error));
        return services;
    }
}
