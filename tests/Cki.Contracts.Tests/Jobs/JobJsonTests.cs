using System.Text;
using Cki.Contracts.Jobs;

namespace Cki.Contracts.Tests.Jobs;

public class JobJsonTests
{
    private const string Name = "runs/r1/jobs/j1/spec.json";

    public static TheoryData<string> Kinds => new(JobKinds.All);

    private static JobSpec Sample(string kind) => kind switch
    {
        JobKinds.Profile => new ProfileJobSpec
        {
            RunId = "r1", JobId = "profile-a", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors"], Checkpoint = "checkpoints/movies/a/v1/model.safetensors",
        },
        JobKinds.Assess => new AssessJobSpec
        {
            RunId = "r1", JobId = "assess-0", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors", "checkpoints/movies/b/v2/model.safetensors.index.json"], LearningRate = 0.01,
        },
        JobKinds.Splice => new SpliceJobSpec
        {
            RunId = "r1", JobId = "splice-2", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors", "checkpoints/movies/b/v1/model.safetensors"],
            Shard = 2, ShardCount = 16, Tensors = ["head.weight", "head.bias"], Weights = "runs/r1/jobs/assess-0/weights.safetensors",
            OutputFolder = "integrated/movies/r1/",
        },
        JobKinds.Evaluate => new EvaluateJobSpec
        {
            RunId = "r1", JobId = "ensemble", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors"], Target = "output ensemble",
            Models = ["checkpoints/movies/a/v1/model.safetensors", "checkpoints/movies/b/v1/model.safetensors"], Baseline = "average",
        },
        JobKinds.Retrain => new RetrainJobSpec
        {
            RunId = "r1", JobId = "retrain", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors"], Model = "integrated/movies/r1/model.safetensors.index.json", Epochs = 3,
        },
        JobKinds.Decide => new DecideJobSpec
        {
            RunId = "r1", JobId = "decide", Family = "movies", Manifest = "runs/r1/cki.yaml",
            Inputs = ["checkpoints/movies/a/v1/model.safetensors"],
            InputVersions = new Dictionary<string, InputVersion> { ["checkpoints/movies/a/v1/model.safetensors"] = new("0x8D1", "md5:AAAA") },
            Candidates = [new PromotionCandidate("integrated", 1, "runs/r1/jobs/evaluate-integrated/validation-predictions.safetensors",
                new Dictionary<string, double> { ["test.auc"] = 0.71 })],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Text(JobSpec spec) => Encoding.UTF8.GetString(JobJson.Serialize(spec));

    private static InvalidDataException Rejected(string json) =>
        Assert.Throws<InvalidDataException>(() => JobJson.Deserialize<JobSpec>(Encoding.UTF8.GetBytes(json), Name));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Deserialize_SerializedSpec_GivesTheSameSubtypeAndValues(string kind)
    {
        var spec = Sample(kind);

        var back = JobJson.Deserialize<JobSpec>(JobJson.Serialize(spec), Name);

        Assert.IsType(spec.GetType(), back);
        Assert.Equal(kind, back.Kind);
        Assert.Equivalent(spec, back, strict: true);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Serialize_Spec_WritesTheKindDiscriminatorFirstAndSnakeCaseNames(string kind)
    {
        var text = Text(Sample(kind));

        Assert.StartsWith($"{{\n  \"kind\": \"{kind}\",", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"run_id\": \"r1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"job_id\": ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RunId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("runId", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_SpliceSpec_NamesEveryFieldInSnakeCase()
    {
        var text = Text(Sample(JobKinds.Splice));

        Assert.Contains("\"kind\": \"splice\"", text, StringComparison.Ordinal);
        Assert.Contains("\"shard\": 2", text, StringComparison.Ordinal);
        Assert.Contains("\"shard_count\": 16", text, StringComparison.Ordinal);
        Assert.Contains("\"output_folder\": \"integrated/movies/r1/\"", text, StringComparison.Ordinal);
        Assert.Contains("\"weights\": \"runs/r1/jobs/assess-0/weights.safetensors\"", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("\"kind\"").Length);
    }

    [Fact]
    public void Serialize_AssessSpec_WritesLearningRateInSnakeCase() =>
        Assert.Contains("\"learning_rate\": 0.01", Text(Sample(JobKinds.Assess)), StringComparison.Ordinal);

    [Fact]
    public void Serialize_NullOptionalField_IsLeftOut()
    {
        var spec = (SpliceJobSpec)Sample(JobKinds.Splice) with { Weights = null };

        Assert.DoesNotContain("weights", Text(spec), StringComparison.Ordinal);
        Assert.Null(((SpliceJobSpec)JobJson.Deserialize<JobSpec>(JobJson.Serialize<JobSpec>(spec), Name)).Weights);
    }

    [Fact]
    public void Deserialize_KindAfterOtherProperties_IsStillRead()
    {
        var json = """{"run_id":"r1","job_id":"p","family":"f","manifest":"runs/r1/cki.yaml","inputs":["checkpoints/f/a/v1/model.safetensors"],"checkpoint":"checkpoints/f/a/v1/model.safetensors","kind":"profile"}""";

        var spec = Assert.IsType<ProfileJobSpec>(JobJson.Deserialize<JobSpec>(Encoding.UTF8.GetBytes(json), Name));

        Assert.Equal("checkpoints/f/a/v1/model.safetensors", spec.Checkpoint);
    }

    [Fact]
    public void Deserialize_UnknownProperty_IsRejectedNamingTheDocument()
    {
        var error = Rejected("""{"kind":"profile","run_id":"r1","job_id":"p","family":"f","manifest":"m","inputs":[],"checkpoint":"c","learning_rate":0.1}""");

        Assert.StartsWith(Name + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning_rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MissingRequiredProperty_IsRejectedNamingTheDocument()
    {
        var error = Rejected("""{"kind":"profile","run_id":"r1","job_id":"p","family":"f","manifest":"m","inputs":[]}""");

        Assert.StartsWith(Name + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MissingKind_IsRejectedNamingTheDocument()
    {
        var error = Rejected("""{"run_id":"r1","job_id":"p","family":"f","manifest":"m","inputs":[],"checkpoint":"c"}""");

        Assert.StartsWith(Name + ": not a valid JobSpec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownKind_IsRejectedNamingTheDocument()
    {
        var error = Rejected("""{"kind":"train","run_id":"r1","job_id":"p","family":"f","manifest":"m","inputs":[]}""");

        Assert.StartsWith(Name + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("train", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"kind\":\"profile\",")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Deserialize_InvalidJson_IsRejectedNamingTheDocument(string json) =>
        Assert.StartsWith(Name + ":", Rejected(json).Message, StringComparison.Ordinal);

    [Fact]
    public void Deserialize_DocumentOverTheLimit_IsRejectedBeforeParsing()
    {
        var json = new byte[JobJson.MaxDocumentBytes + 1];

        var error = Assert.Throws<InvalidDataException>(() => JobJson.Deserialize<JobSpec>(json, Name));

        Assert.Equal($"{Name}: 16777217 bytes, over the limit of 16777216 for a run document.", error.Message);
    }

    [Fact]
    public void Deserialize_DocumentOfExactlyTheLimit_IsRead()
    {
        var content = JobJson.Serialize(JobResult.Success(Sample(JobKinds.Retrain), 1, new Dictionary<string, double>(), [], "t"));
        var json = new byte[JobJson.MaxDocumentBytes];
        Array.Fill(json, (byte)' ');
        content.CopyTo(json, 0);

        Assert.Equal("retrain", JobJson.Deserialize<JobResult>(json, Name).JobId);
    }

    [Fact]
    public void Deserialize_SerializedSuccess_GivesTheSameResult()
    {
        var result = JobResult.Success(Sample(JobKinds.Evaluate), 12.5,
            new Dictionary<string, double> { ["test.auc"] = 0.75, ["validation.logloss"] = 0.5 }, ["runs/r1/jobs/ensemble/metrics.json"], "cki-compute 0.1.0");

        var json = JobJson.Serialize(result);
        var back = JobJson.Deserialize<JobResult>(json, Name);

        Assert.Equivalent(result, back, strict: true);
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains("\"kind\": \"evaluate\"", text, StringComparison.Ordinal);
        Assert.Contains("\"succeeded\": true", text, StringComparison.Ordinal);
        Assert.Contains("\"test.auc\": 0.75", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_SerializedFailure_KeepsTheError()
    {
        var result = JobResult.Failure(Sample(JobKinds.Splice), 0.25, "checkpoints/movies/b/v1/model.safetensors: tensor head.weight missing", "cki-compute 0.1.0");

        var back = JobJson.Deserialize<JobResult>(JobJson.Serialize(result), Name);

        Assert.Equivalent(result, back, strict: true);
        Assert.False(back.Succeeded);
        Assert.Equal(("r1", "splice-2", "splice"), (back.RunId, back.JobId, back.Kind));
        Assert.Equal("checkpoints/movies/b/v1/model.safetensors: tensor head.weight missing", back.Error);
    }
}
