using Cki.Compute.Method;
using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Method;

/// <summary>
/// The assessment's parts on the device they are given, checked on the meta device (shapes, no data): P and b where
/// the task is, and the compatibility weights and the soft splice where the local term is. A CPU tensor met by a meta
/// one fails the op, so a part that hard-codes the CPU fails here. (The local term's own pass needs <c>abs</c>, which
/// has no meta kernel in this libtorch: it runs on the CPU in AssessmentTests.)
/// </summary>
public sealed class AssessmentDeviceTests
{
    private static readonly Device Meta = device(DeviceType.META);

    [Theory]
    [InlineData(2, false, 1)]
    [InlineData(3, true, 6)]
    public void LocalUncertainty_OnMeta_ItsParametersAreThere(int models, bool bias, int expectedParameters)
    {
        using var generator = new Generator(7);
        using var local = new LocalUncertainty([4, 5], models, bias, scale: 1.0, generator, Meta);

        var parameters = local.Parameters.ToList();

        Assert.Equal(expectedParameters, parameters.Count);
        Assert.All(parameters, p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Theory]
    [InlineData(CompatibilityForm.ExpSoftmax)]
    [InlineData(CompatibilityForm.Linear)]
    [InlineData(CompatibilityForm.LocalOnly)]
    public void Compute_LocalTermOnMeta_WeightsOnMeta(CompatibilityForm form)
    {
        using var local = empty([2, 4, 5], device: Meta);

        using var weights = CompatibilityWeights.Compute(form, [0.6, 0.4], local, [4, 5]);

        Assert.Equal(DeviceType.META, weights.device_type);
        Assert.Equal([2L, 4, 5], weights.shape);
    }

    [Fact]
    public void Splice_SoftOnMeta_SplicedTensorOnMeta()
    {
        using var a = empty([4, 5], device: Meta);
        using var b = empty([4, 5], device: Meta);
        using var weights = empty([2, 4, 5], device: Meta);

        using var spliced = Splicing.Splice(SpliceMode.Soft, [a, b], weights);

        Assert.Equal(DeviceType.META, spliced.device_type);
        Assert.Equal([4L, 5], spliced.shape);
    }
}
