namespace Cki.Infra.Tests.Kubernetes;

/// <summary>
/// The compute image's Dockerfile, read as text (no Docker engine here, so it is not built): the order of its layers,
/// and the tag the deployment builds it under.
/// </summary>
public sealed class ComputeImageTests
{
    private static readonly string[] Lines = RepositoryFiles.Read("src", "Cki.Compute", "Dockerfile").Split('\n');

    private static int First(Func<string, bool> match) => Array.FindIndex(Lines, l => match(l.Trim()));

    // Rule reproduced: a layer is rebuilt when anything copied before it changed; restore from the project files only.
    [Fact]
    public void Dockerfile_Restore_BeforeAnySourceIsCopied()
    {
        var restore = First(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var sources = First(l => l.StartsWith("COPY src/", StringComparison.Ordinal) && l.EndsWith('/') && !l.Contains(".csproj", StringComparison.Ordinal));

        Assert.True(restore > 0, "no restore step");
        Assert.True(sources > restore, "a source folder is copied before the restore");
        Assert.All(Lines.Take(restore).Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal)), l => Assert.Contains(".csproj ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_NativeLibraries_TheirOwnLayerBeforeTheApp()
    {
        var runtime = First(l => l.StartsWith("FROM", StringComparison.Ordinal) && l.EndsWith("AS runtime", StringComparison.Ordinal));
        var copies = Lines.Skip(runtime).Select(l => l.Trim()).Where(l => l.StartsWith("COPY --from=build", StringComparison.Ordinal)).ToList();

        Assert.Equal(["COPY --from=build /natives/ ./", "COPY --from=build /app/ ./"], copies);
        Assert.Contains(Lines, l => l.Contains("mv /app/*.so* /natives/", StringComparison.Ordinal)); // moved, so not copied twice
        Assert.Contains("USER $APP_UID", Lines);
    }

    // A moving tag (latest) lets a node run a stale image it cached; the hooks build the commit's tag the template names.
    [Fact]
    public void ImageTag_Hooks_NeverLatest()
    {
        var preprovision = RepositoryFiles.Read("infra", "scripts", "preprovision.sh");
        var postprovision = RepositoryFiles.Read("infra", "scripts", "postprovision.sh");

        Assert.Contains("git rev-parse --short=12 HEAD", preprovision, StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", postprovision, StringComparison.Ordinal);
        Assert.DoesNotContain("latest", postprovision, StringComparison.Ordinal);
        Assert.Contains("--image \"$image\"", postprovision, StringComparison.Ordinal);
    }
}
