using System.Net.Http.Headers;
using Azure.Core;
using k8s.Authentication;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// Bearer tokens for the AKS API server from an Entra ID credential (the Function App's managed identity in Azure):
/// a cluster with Entra ID integration and Azure RBAC accepts them, and no kubeconfig secret is needed.
/// </summary>
public sealed class EntraTokenProvider(TokenCredential credential, string scope = KubernetesDispatcherOptions.AksServerScope) : ITokenProvider
{
    // A reference, so that a reader never sees half of a token being replaced.
    private Cached? _cached;

    /// <inheritdoc />
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        // Renew five minutes before expiry, so that no call goes out with a token about to lapse. Two calls renewing
        // at once both get a valid token; the credential caches, so no lock is needed.
        var cached = Volatile.Read(ref _cached);
        if (cached is null || cached.ExpiresOn - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(5))
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            cached = new Cached(token.Token, token.ExpiresOn);
            Volatile.Write(ref _cached, cached);
        }

        return new AuthenticationHeaderValue("Bearer", cached.Token);
    }

    private sealed record Cached(string Token, DateTimeOffset ExpiresOn);
}
