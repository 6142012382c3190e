using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Synthetic;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Method;

/// <summary>The learned path on the small synthetic task: two models trained from different seeds, then CKI.</summary>
public sealed class AssessmentTests : IClassFixture<AssessmentTests.TrainedPair>
{
    private readonly TrainedPair _pair;

    public AssessmentTests(TrainedPair pair) => _pair = pair;

    public sealed class TrainedPair : IDisposable
    {
        public SyntheticTask Task { get; } = new(trainSize: 2000);

        public Dictionary<string, Tensor> A { get; }

        public Dictionary<string, Tensor> B { get; }

        public TrainedPair()
        {
            A = Task.Train(seed: 0, epochs: 3);
            B = Task.Train(seed: 1, epochs: 3);
        }

        public void Dispose()
        {
            foreach (var t in A.Values.Concat(B.Values))
            {
                t.Dispose();
            }

            Task.Dispose();
        }
    }

    [Fact]
    public void InputModels_LearnTheTask()
    {
        Assert.InRange(TaskEvaluation.Evaluate(_pair.Task, _pair.A, TaskSplit.Validation), 0.75, 1.0);
        Assert.InRange(TaskEvaluation.Evaluate(_pair.Task, _pair.B, TaskSplit.Validation), 0.75, 1.0);
    }

    [Fact]
    public void Run_TrainsPKeepsTheBestValidationEpochAndTheSplicedModelReproducesIt()
    {
        var options = new AssessmentOptions { Epochs = 4, LearningRate = 1e-2, Seed = 3 };
        using var result = Assessment.Run(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors, options);

        Assert.True(result.PChange > 1e-3, $"P moved only {result.PChange}");
        Assert.Equal(4, result.ValidationByEpoch.Count);
        Assert.Equal(result.ValidationByEpoch.Max(), result.BestValidation);
        Assert.Equal(result.ValidationByEpoch.ToList().IndexOf(result.BestValidation) + 1, result.BestEpoch);

        // The model A with the soft-spliced head, built here from the kept weights, gives the logged metric.
        var merged = new Dictionary<string, Tensor>(_pair.A);
        foreach (var name in _pair.Task.HeadTensors)
        {
            var w = result.Weights[name];
            Assert.Equal([2, .. _pair.A[name].shape], w.shape);
            merged[name] = w[0].mul(_pair.A[name]).add(w[1].mul(_pair.B[name]));
        }

        Assert.Equal(result.BestValidation, TaskEvaluation.Evaluate(_pair.Task, merged, TaskSplit.Validation), 4);
    }

    [Fact]
    public void Run_ExpSoftmaxWeights_StayAGentleReweightingAroundTheAverage()
    {
        using var result = Assessment.Run(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors, new AssessmentOptions { Epochs = 1 });
        foreach (var w in result.Weights.Values)
        {
            Assert.InRange(w[0].min().item<float>(), 0.40f, 0.60f);
            Assert.InRange(w[0].max().item<float>(), 0.40f, 0.60f);
            Assert.True(w.sum(0L).sub(1).abs().max().item<float>() < 1e-5);
        }
    }

    [Fact]
    public void Sweep_KeepsTheLearningRateWithTheBestValidation()
    {
        var rates = new[] { 1e-3, 1e-1 };
        var singles = rates.Select(r =>
        {
            using var single = Assessment.Run(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors, new AssessmentOptions { Epochs = 2, LearningRate = r });
            return single.BestValidation;
        }).ToList();
        using var swept = Assessment.Sweep(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors, new AssessmentOptions { Epochs = 2 }, rates);
        Assert.Equal(rates[singles.IndexOf(singles.Max())], swept.LearningRate);
        Assert.Equal(singles.Max(), swept.BestValidation, 10);
    }

    [Fact]
    public void Run_TrainTrunk_ChangesTheTrunkAndTheKeptStateReproducesTheMetric()
    {
        using var result = Assessment.Run(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors,
            new AssessmentOptions { Epochs = 2, LearningRate = 1e-2, TrainTrunk = true });
        Assert.Equal(new[] { "trunk.0.bias", "trunk.0.weight", "head.0.bias", "head.1.bias" }.Order(), result.Trunk.Keys.Order());
        Assert.True(result.Trunk["trunk.0.weight"].sub(_pair.A["trunk.0.weight"]).abs().max().item<float>() > 1e-4);
        var merged = new Dictionary<string, Tensor>(_pair.A);
        foreach (var (name, value) in result.Trunk)
        {
            merged[name] = value;
        }

        foreach (var name in _pair.Task.HeadTensors)
        {
            var w = result.Weights[name];
            merged[name] = w[0].mul(_pair.A[name]).add(w[1].mul(_pair.B[name]));
        }

        Assert.Equal(result.BestValidation, TaskEvaluation.Evaluate(_pair.Task, merged, TaskSplit.Validation), 4);
    }

    [Fact]
    public void Run_TrainTrunkWithFrozenHeadBiases_TrainsTheRestAndShowsEveryEpochsEvaluatedModel()
    {
        var seen = new List<(int Epoch, double Metric, bool BiasIsA)>();
        using var result = Assessment.Run(_pair.Task, [_pair.A, _pair.B], _pair.Task.HeadTensors,
            new AssessmentOptions { Epochs = 2, LearningRate = 1e-2, TrainTrunk = true, FrozenTensors = ["head.0.bias", "head.1.bias"] },
            epochDone: (epoch, parameters) => seen.Add((epoch, TaskEvaluation.Evaluate(_pair.Task, parameters, TaskSplit.Validation),
                ReferenceEquals(parameters["head.0.bias"], _pair.A["head.0.bias"]))));
        Assert.Equal(new[] { "trunk.0.bias", "trunk.0.weight" }.Order(), result.Trunk.Keys.Order());
        Assert.True(result.Trunk["trunk.0.weight"].sub(_pair.A["trunk.0.weight"]).abs().max().item<float>() > 1e-4);
        // The observer sees the same model the assessment selects with: its metrics are the logged ones.
        Assert.Equal([1, 2], seen.Select(s => s.Epoch));
        Assert.Equal(result.ValidationByEpoch, seen.Select(s => s.Metric));
        Assert.All(seen, s => Assert.True(s.BiasIsA));
    }

    [Fact]
    public void LocalUncertainty_TwoModels_GivesModelBOneMinusWl()
    {
        using var generator = new Generator(5);
        using var local = new LocalUncertainty([3, 4], 2, bias: false, scale: 1.0, generator);
        using var a = randn([3, 4], generator: generator);
        using var b = randn([3, 4], generator: generator);
        using var l = local.Local([a, b]);
        Assert.True(l[0].add(l[1]).sub(1).abs().max().item<float>() < 1e-6);
        Assert.True(l.min().item<float>() > 0 && l.max().item<float>() < 1);
    }

    [Fact]
    public void LocalUncertainty_ThreeModels_HasOnePPerModel()
    {
        using var generator = new Generator(5);
        using var local = new LocalUncertainty([3, 4], 3, bias: true, scale: 1.0, generator);
        Assert.Equal(6, local.Parameters.Count());
        using var t = randn([3, 4], generator: generator);
        using var l = local.Local([t, t.add(1), t.sub(1)]);
        Assert.Equal([3, 3, 4], l.shape);
    }
}
