using System.CommandLine;
using Cki.Compute.Devices;
using static TorchSharp.torch;

namespace Cki.Compute.Cli;

/// <summary>
/// <c>--device cpu|cuda|auto</c>, shared by every command that trains or evaluates: the one place the app turns the
/// option into the device it passes on to the library.
/// </summary>
internal static class DeviceOption
{
    /// <summary>A new instance of the option (each command holds its own).</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where the task's data, the learned assessment, evaluation and retraining run: cpu, cuda (an error when no CUDA " +
                "device is present) or auto (cuda when present, else cpu). Data-free merges always stream on the CPU.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong([.. ComputeDevice.Choices]);
        return option;
    }

    /// <summary>The option's device (a one-line user error for cuda without a device); call before any work.</summary>
    public static Device Resolve(ParseResult parse, Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return ComputeDevice.Of(parse.GetValue(option)!);
    }

    /// <summary>Says on stderr where the training and evaluation of <paramref name="command"/> run.</summary>
    public static void Announce(string command, Device device)
    {
        Console.Error.WriteLine(Announcement(command, device));
    }

    /// <summary>The line of <see cref="Announce"/>.</summary>
    public static string Announcement(string command, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return $"{command}: device {device.type.ToString().ToLowerInvariant()}";
    }
}
