namespace Cki.Contracts.Runs;

/// <summary>
/// <c>model-{i}-of-{n}.compatibility.json</c> beside a splice shard, and <c>compatibility.json</c> for the whole model
/// (the shards' tensors in shard order): which model each merged tensor's parameters came from. One shape, written by
/// the splice job and read by assembly, the report and the dashboard, in the run documents' JSON (<see cref="Jobs.JobJson"/>).
/// </summary>
/// <param name="Method">The merge method.</param>
/// <param name="Models">The inputs, model A first.</param>
/// <param name="Tensors">One entry per merged tensor that has weights, in file order.</param>
public sealed record CompatibilitySummary(string Method, IReadOnlyList<string> Models, IReadOnlyList<TensorCompatibility> Tensors);

/// <summary>For one merged tensor: which model its parameters came from.</summary>
/// <param name="Tensor">The tensor's name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Share">Per model (model A first), the share of elements where that model has the largest weight (ties to the lower index).</param>
/// <param name="MeanWeight">Per model, the mean weight over the elements.</param>
public sealed record TensorCompatibility(string Tensor, IReadOnlyList<long> Shape, IReadOnlyList<double> Share, IReadOnlyList<double> MeanWeight);
