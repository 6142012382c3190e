using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cki.Compute.Checkpoints;
using Cki.Compute.Statistics;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute inspect</c>: tensors, metadata and per-tensor statistics of a checkpoint.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var location = new Argument<string>("checkpoint")
        {
            Description = "A .safetensors file, a model.safetensors.index.json, a folder holding either, or a blob URL.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("inspect", "Show a checkpoint's tensors (dtype, shape, bytes), metadata and per-tensor statistics: " +
            "min, max, mean, std, non-finite count and the 10-bin entropy of the global information term.")
        {
            location,
            json,
        };
        command.SetGuardedAction((parse, cancellationToken) =>
        {
            using var checkpoint = Checkpoint.Open(parse.GetValue(location)!, ComputeEnvironment.Locations, cancellationToken: cancellationToken);
            var rows = Profile(checkpoint, cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(Console.OpenStandardOutput(), checkpoint, rows);
            }
            else
            {
                WriteTable(Console.Out, checkpoint, rows);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Reads tensor by tensor and computes each one's statistics.</summary>
    public static IReadOnlyList<(TensorSpec Spec, TensorStatistics Stats)> Profile(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var progress = new ProgressReporter("inspect", checkpoint.Tensors.Count, checkpoint.TotalBytes);
        var rows = new List<(TensorSpec, TensorStatistics)>();
        long done = 0;
        foreach (var spec in checkpoint.Tensors)
        {
            using var tensor = checkpoint.ReadTensor(spec.Name, cancellationToken);
            rows.Add((spec, TensorStatistics.Compute(tensor)));
            done += spec.ByteCount;
            progress.Report(rows.Count, done, spec.Name);
        }

        return rows;
    }

    /// <summary>The <c>--json</c> form: <c>{"metadata":{...},"tensors":[...]}</c>.</summary>
    public static void WriteJson(Stream output, Checkpoint checkpoint, IReadOnlyList<(TensorSpec Spec, TensorStatistics Stats)> rows)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in checkpoint.Metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("tensors");
        foreach (var (spec, stats) in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("name", spec.Name);
            writer.WriteString("dtype", spec.Dtype.HeaderName());
            writer.WriteStartArray("shape");
            foreach (var dim in spec.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteNumber("bytes", spec.ByteCount);
            Number(writer, "min", stats.Min);
            Number(writer, "max", stats.Max);
            Number(writer, "mean", stats.Mean);
            Number(writer, "std", stats.Std);
            writer.WriteNumber("nonFinite", stats.NonFinite);
            Number(writer, "entropy", stats.Entropy);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteTable(TextWriter output, Checkpoint checkpoint, IReadOnlyList<(TensorSpec Spec, TensorStatistics Stats)> rows)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{checkpoint.Location}: {rows.Count} tensors in {checkpoint.Files.Count} file(s), {checkpoint.TotalBytes:N0} bytes"));
        foreach (var (key, value) in checkpoint.Metadata)
        {
            output.WriteLine($"  {key} = {value}");
        }

        var nameWidth = Math.Max(6, rows.Count == 0 ? 0 : rows.Max(r => r.Spec.Name.Length));
        var shapeWidth = Math.Max(5, rows.Count == 0 ? 0 : rows.Max(r => r.Spec.ShapeText.Length));
        output.WriteLine(string.Create(c,
            $"{"tensor".PadRight(nameWidth)}  {"dtype",-5}  {"shape".PadRight(shapeWidth)}  {"bytes",12}  {"min",10}  {"max",10}  {"mean",10}  {"std",10}  {"nonfinite",9}  {"entropy",7}"));
        foreach (var (spec, s) in rows)
        {
            output.WriteLine(string.Create(c,
                $"{spec.Name.PadRight(nameWidth)}  {spec.Dtype,-5}  {spec.ShapeText.PadRight(shapeWidth)}  {spec.ByteCount,12:N0}  {s.Min,10:G4}  {s.Max,10:G4}  {s.Mean,10:G4}  {s.Std,10:G4}  {s.NonFinite,9}  {s.Entropy,7:F4}"));
        }
    }
}
