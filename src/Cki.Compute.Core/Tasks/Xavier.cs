using static TorchSharp.torch;

namespace Cki.Compute.Tasks;

/// <summary>Xavier (Glorot) uniform initialisation from an explicit generator, so runs are reproducible.</summary>
public static class Xavier
{
    /// <summary>A <c>[fanOut, fanIn]</c> tensor uniform in ±sqrt(6 / (fanIn + fanOut)).</summary>
    public static Tensor Uniform(long fanOut, long fanIn, Generator generator)
    {
        var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        using var scope = NewDisposeScope();
        return rand([fanOut, fanIn], generator: generator).mul_(2 * bound).sub_(bound).MoveToOuterDisposeScope();
    }
}
