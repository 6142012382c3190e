using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Devices;

/// <summary>
/// The one place that turns <c>--device cpu|cuda|auto</c> into a TorchSharp device. The library holds no chosen
/// device of its own: the app resolves the option once and passes the result on the requests that train or evaluate
/// (a task's device, <see cref="Config.MergeConfig.Device"/>). The merge of data-free methods never uses it: it
/// streams tensor by tensor on the CPU.
/// </summary>
public static class ComputeDevice
{
    /// <summary>The values <c>--device</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Choices = ["cpu", "cuda", "auto"];

    /// <summary>
    /// Resolves <paramref name="choice"/>: <c>cpu</c>; <c>cuda</c>, an error when no CUDA device is present; <c>auto</c>,
    /// CUDA when present, else the CPU. <paramref name="cudaAvailable"/> replaces <c>torch.cuda.is_available()</c> in tests.
    /// </summary>
    public static DeviceType Resolve(string choice, Func<bool>? cudaAvailable = null)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var available = cudaAvailable ?? cuda.is_available;
        return choice switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => available()
                ? DeviceType.CUDA
                : throw new InvalidOperationException(
                    "--device cuda: no CUDA device is available here (no GPU visible, or this build has the CPU libtorch); use --device cpu or --device auto."),
            "auto" => available() ? DeviceType.CUDA : DeviceType.CPU,
            _ => throw new ArgumentException($"--device {choice}: expected one of {string.Join(", ", Choices)}.", nameof(choice)),
        };
    }

    /// <summary>The device <paramref name="choice"/> resolves to (see <see cref="Resolve"/>); CUDA initialises only when chosen.</summary>
    public static Device Of(string choice, Func<bool>? cudaAvailable = null) => device(Resolve(choice, cudaAvailable));
}
