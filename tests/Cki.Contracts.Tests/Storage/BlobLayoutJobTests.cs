using Cki.Contracts.Storage;

namespace Cki.Contracts.Tests.Storage;

public class BlobLayoutJobTests
{
    [Fact]
    public void TryParseJobResult_ResultName_GivesRunAndJob()
    {
        Assert.True(BlobLayout.TryParseJobResult("movies-0123/jobs/splice-3/result.json", out var runId, out var jobId));
        Assert.Equal(("movies-0123", "splice-3"), (runId, jobId));
    }

    [Fact]
    public void TryParseJobResult_NameBuiltByJobResult_ParsesBack()
    {
        Assert.True(BlobLayout.TryParseJobResult(BlobLayout.JobResult("r1", "assess-2"), out var runId, out var jobId));
        Assert.Equal(("r1", "assess-2"), (runId, jobId));
    }

    [Theory]
    [InlineData("r1/jobs/j1/spec.json")]
    [InlineData("r1/jobs/j1/out/result.json")]
    [InlineData("r1/other/j1/result.json")]
    [InlineData("jobs/j1/result.json")]
    [InlineData("/jobs/j1/result.json")]
    [InlineData("r1/jobs//result.json")]
    [InlineData("r1/summary.json")]
    [InlineData("")]
    public void TryParseJobResult_AnyOtherName_IsFalseWithEmptyParts(string name)
    {
        Assert.False(BlobLayout.TryParseJobResult(name, out var runId, out var jobId));
        Assert.Equal(("", ""), (runId, jobId));
    }

    [Fact]
    public void TryParseCheckpointFile_CheckpointFile_GivesEveryPart()
    {
        Assert.True(BlobLayout.TryParseCheckpointFile("movies/early/v3/model-00001-of-00002.safetensors", out var family, out var source, out var version, out var file));
        Assert.Equal(("movies", "early", "v3", "model-00001-of-00002.safetensors"), (family, source, version, file));
    }

    [Theory]
    [InlineData("movies/cki.yaml")]
    [InlineData("movies/early/model.safetensors")]
    [InlineData("movies/early/v3/sub/model.safetensors")]
    [InlineData("movies/../v3/model.safetensors")]
    [InlineData("movies/early/./model.safetensors")]
    [InlineData("movies/early/v3/..")]
    [InlineData("movies//v3/model.safetensors")]
    [InlineData("/early/v3/model.safetensors")]
    [InlineData("movies/early/v3/")]
    public void TryParseCheckpointFile_ManifestDeeperOrRelativeName_IsFalseWithEmptyParts(string name)
    {
        Assert.False(BlobLayout.TryParseCheckpointFile(name, out var family, out var source, out var version, out var file));
        Assert.Equal(("", "", "", ""), (family, source, version, file));
    }

    [Fact]
    public void Split_QualifiedName_CutsAtTheFirstSlash()
    {
        Assert.Equal(("checkpoints", "movies/early/v3/model.safetensors"), BlobLayout.Split("checkpoints/movies/early/v3/model.safetensors"));
        Assert.Equal(("runs", "r1/cki.yaml"), BlobLayout.Split(BlobLayout.Qualified(BlobLayout.RunsContainer, BlobLayout.RunManifest("r1"))));
    }

    [Theory]
    [InlineData("checkpoints")]
    [InlineData("/movies/cki.yaml")]
    [InlineData("checkpoints/")]
    [InlineData("")]
    public void Split_NotContainerSlashName_IsRejectedNamingIt(string qualified)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobLayout.Split(qualified));
        Assert.Equal("qualified", error.ParamName);
        Assert.Contains($"'{qualified}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qualified_ContainerAndName_JoinsThemWithOneSlash() =>
        Assert.Equal("integrated/movies/r1/report.json", BlobLayout.Qualified(BlobLayout.IntegratedContainer, BlobLayout.IntegratedFile("movies", "r1", "report.json")));

    [Theory]
    [InlineData("runs/x")]
    [InlineData("..")]
    [InlineData("")]
    public void Qualified_ContainerThatIsNotOneSegment_IsRejected(string container)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => BlobLayout.Qualified(container, "r1/cki.yaml"));
        Assert.Equal("container", error.ParamName);
    }

    [Fact]
    public void Names_RunAndOutputFiles_FollowTheDesignLayout()
    {
        Assert.Equal("r1/jobs/splice-0/spec.json", BlobLayout.JobSpec("r1", "splice-0"));
        Assert.Equal("r1/jobs/splice-0/result.json", BlobLayout.JobResult("r1", "splice-0"));
        Assert.Equal("r1/cki.yaml", BlobLayout.RunManifest("r1"));
        Assert.Equal("r1/summary.json", BlobLayout.RunSummary("r1"));
        Assert.Equal("movies/r1/report.md", BlobLayout.IntegratedFile("movies", "r1", "report.md"));
        Assert.Equal("movies/early/", BlobLayout.SourcePrefix("movies", "early"));
        Assert.Equal("movies/early/v3/", BlobLayout.CheckpointVersionPrefix("movies", "early", "v3"));
        Assert.Equal("r1/jobs/profile-a/stats.json", BlobLayout.JobOutput("r1", "profile-a", "stats.json"));
    }

    [Theory]
    [InlineData("JobSpec", "runId", "..")]
    [InlineData("JobSpec", "jobId", "a/b")]
    [InlineData("JobResult", "runId", "a/b")]
    [InlineData("JobResult", "jobId", "..")]
    [InlineData("RunManifest", "runId", "..")]
    [InlineData("RunManifest", "runId", "r1/x")]
    [InlineData("RunSummary", "runId", ".")]
    [InlineData("RunSummary", "runId", "a\\b")]
    [InlineData("IntegratedFile", "family", "..")]
    [InlineData("IntegratedFile", "runId", "a/b")]
    [InlineData("IntegratedFile", "fileName", "../latest.json")]
    [InlineData("IntegratedFile", "fileName", "sub/report.json")]
    [InlineData("SourcePrefix", "family", "a/b")]
    [InlineData("SourcePrefix", "source", "..")]
    [InlineData("SourcePrefix", "source", "")]
    public void Names_SegmentThatCouldEscapeItsPrefix_IsRejectedNamingTheParameter(string member, string parameter, string bad)
    {
        string Value(string name) => name == parameter ? bad : "ok";
        Func<string> build = member switch
        {
            "JobSpec" => () => BlobLayout.JobSpec(Value("runId"), Value("jobId")),
            "JobResult" => () => BlobLayout.JobResult(Value("runId"), Value("jobId")),
            "RunManifest" => () => BlobLayout.RunManifest(Value("runId")),
            "RunSummary" => () => BlobLayout.RunSummary(Value("runId")),
            "IntegratedFile" => () => BlobLayout.IntegratedFile(Value("family"), Value("runId"), Value("fileName")),
            "SourcePrefix" => () => BlobLayout.SourcePrefix(Value("family"), Value("source")),
            _ => throw new ArgumentOutOfRangeException(nameof(member), member, null),
        };

        var error = Assert.ThrowsAny<ArgumentException>(build);
        Assert.Equal(parameter, error.ParamName);
    }
}
