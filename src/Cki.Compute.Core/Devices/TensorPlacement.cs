using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Devices;

/// <summary>
/// Copies of tensors on a device: parameters go to the task's device before training or evaluation, and come back to
/// the CPU before anything reads their values on the host (metrics, the streaming merge, the safetensors writer).
/// Every copy is the caller's own, detached from autograd and from any dispose scope, whether or not it had to move.
/// </summary>
public static class TensorPlacement
{
    /// <summary>Whether <paramref name="tensor"/> already lives on <paramref name="device"/> (index -1: the current one of its type).</summary>
    public static bool IsOn(Tensor tensor, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(device);
        return tensor.device_type == device.type && (device.type == DeviceType.CPU || device.index < 0 || tensor.device_index == device.index);
    }

    /// <summary>A detached copy of <paramref name="tensor"/> on <paramref name="device"/>.</summary>
    public static Tensor CopyTo(Tensor tensor, Device device)
    {
        using var detached = tensor.detach();
        var copy = IsOn(tensor, device) ? detached.clone() : detached.to(device);
        return copy.DetachFromDisposeScope();
    }

    /// <summary>Detached copies of every tensor of <paramref name="tensors"/> on <paramref name="device"/>.</summary>
    public static Dictionary<string, Tensor> CopyTo(IReadOnlyDictionary<string, Tensor> tensors, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return tensors.ToDictionary(p => p.Key, p => CopyTo(p.Value, device), StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="tensor"/> itself when it is on <paramref name="device"/>, else a copy there that the current
    /// dispose scope owns (for use inside a scope, where a copy per call is not wanted).
    /// </summary>
    public static Tensor On(Tensor tensor, Device device) => IsOn(tensor, device) ? tensor : tensor.to(device);

    /// <summary>Detached CPU copies of every tensor of <paramref name="tensors"/>.</summary>
    public static Dictionary<string, Tensor> ToCpu(IReadOnlyDictionary<string, Tensor> tensors) => CopyTo(tensors, CPU);
}
