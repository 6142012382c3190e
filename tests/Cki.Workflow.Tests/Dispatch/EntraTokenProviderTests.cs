using Azure.Core;
using Cki.Workflow.Dispatch;

namespace Cki.Workflow.Tests.Dispatch;

public sealed class EntraTokenProviderTests
{
    [Fact]
    public async Task GetAuthenticationHeaderAsync_ValidToken_BearerForTheAksScopeAskedOnce()
    {
        var credential = new CountingCredential(TimeSpan.FromHours(1));
        var provider = new EntraTokenProvider(credential);

        var first = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        var second = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal(("Bearer", "token-1"), (first.Scheme, first.Parameter));
        Assert.Equal("token-1", second.Parameter);
        Assert.Equal([KubernetesDispatcherOptions.AksServerScope], credential.Scopes);
        Assert.Equal(1, credential.Calls);
    }

    [Fact]
    public async Task GetAuthenticationHeaderAsync_TokenAboutToLapse_Renewed()
    {
        var credential = new CountingCredential(TimeSpan.FromMinutes(2));
        var provider = new EntraTokenProvider(credential);

        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        var renewed = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("token-2", renewed.Parameter);
    }

    private sealed class CountingCredential(TimeSpan lifetime) : TokenCredential
    {
        public int Calls { get; private set; }

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes = requestContext.Scopes;
            return new AccessToken($"token-{Calls}", DateTimeOffset.UtcNow + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
