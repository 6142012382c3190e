using System.CommandLine;
using Cki.Compute.Devices;

namespace Cki.Compute.Cli;

/// <summary><c>--device cpu|cuda|auto</c>, shared by every command that trains or evaluates.</summary>
internal static class DeviceOption
{
    /// <summary>A new instance of the option (each command holds its own).</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where the learned assessment, evaluation and retraining run: cpu, cuda (an error when no CUDA device is present) " +
                "or auto (cuda when present, else cpu). Data-free merges always stream on the CPU.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong([.. ComputeDevice.Choices]);
        return option;
    }

    /// <summary>Resolves the option's value (a one-line user error for cuda without a device); call before any work.</summary>
    public static void Apply(ParseResult parse, Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ComputeDevice.Select(parse.GetValue(option)!);
    }

    /// <summary>Says on stderr where the training and evaluation of <paramref name="command"/> run.</summary>
    public static void Announce(string command) =>
        Console.Error.WriteLine(ComputeDevice.Selected == TorchSharp.DeviceType.CPU
            ? $"{command}: device cpu"
            : $"{command}: device {ComputeDevice.Selected.ToString().ToLowerInvariant()} chosen (note: this build's tasks still keep their data, train and evaluate on the CPU)");
}
