using Cki.Compute.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Devices;

/// <summary>Copies on a device are the caller's own, whether or not the tensor had to move.</summary>
public sealed class TensorPlacementTests
{
    private static readonly Device Meta = device(DeviceType.META);

    [Fact]
    public void CopyTo_SameDevice_AnIndependentCopy()
    {
        using var source = tensor(new float[] { 1, 2, 3 });

        using var copy = TensorPlacement.CopyTo(source, CPU);
        copy.add_(10);

        Assert.Equal([1f, 2, 3], source.data<float>().ToArray());
        Assert.Equal([11f, 12, 13], copy.data<float>().ToArray());
    }

    [Fact]
    public void CopyTo_OtherDevice_ThereAndDetached()
    {
        using var source = ones([2, 3], requires_grad: true);

        using var copy = TensorPlacement.CopyTo(source, Meta);

        Assert.Equal(DeviceType.META, copy.device_type);
        Assert.Equal([2L, 3], copy.shape);
        Assert.False(copy.requires_grad);
        Assert.Equal(DeviceType.CPU, source.device_type);
    }

    [Fact]
    public void ToCpu_ParametersOfATrainingStep_DetachedCpuCopies()
    {
        using var weight = ones([2, 2], requires_grad: true);
        var copies = TensorPlacement.ToCpu(new Dictionary<string, Tensor> { ["w"] = weight });

        Assert.Equal(DeviceType.CPU, copies["w"].device_type);
        Assert.False(copies["w"].requires_grad);
        copies["w"].Dispose();
    }

    [Fact]
    public void IsOn_TypeAndIndex_AnyIndexMatchesTheCurrentDevice()
    {
        using var cpu = zeros(1);
        using var meta = zeros(1, device: Meta);

        Assert.True(TensorPlacement.IsOn(cpu, CPU));
        Assert.False(TensorPlacement.IsOn(cpu, Meta));
        Assert.True(TensorPlacement.IsOn(meta, Meta));
    }
}
