using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Cki.Compute.Data.Language;

/// <summary>
/// Reads a managed resource embedded in a .NET assembly file without loading the assembly (System.Reflection.Metadata):
/// the encoders' packages ship the ONNX model and vocabulary this way.
/// </summary>
public static class EmbeddedResources
{
    /// <summary>The names of the resources embedded in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<string> Names(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = Metadata(pe, assembly);
        return metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).ToList();
    }

    /// <summary>The bytes of the embedded resource whose name ends with <paramref name="suffix"/> (exactly one must).</summary>
    public static byte[] Read(string assembly, string suffix, long maxBytes)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = Metadata(pe, assembly);
        var matches = metadata.ManifestResources.Select(metadata.GetManifestResource)
            .Where(r => metadata.GetString(r.Name).EndsWith(suffix, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            throw new OnnxFormatException($"{assembly}: {matches.Count} embedded resources end with '{suffix}' (one expected).");
        }

        var resource = matches[0];
        if (!resource.Implementation.IsNil)
        {
            throw new OnnxFormatException($"{assembly}: resource '{metadata.GetString(resource.Name)}' lives in another file.");
        }

        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var start))
        {
            throw new OnnxFormatException($"{assembly}: no resources directory.");
        }

        var at = start + resource.Offset;
        var image = pe.GetEntireImage().GetContent();
        if (resource.Offset < 0 || resource.Offset + 4 > directory.Size || at + 4 > image.Length)
        {
            throw new OnnxFormatException($"{assembly}: resource '{metadata.GetString(resource.Name)}' lies outside the file.");
        }

        // Each resource is a 4-byte little-endian length followed by its bytes.
        var length = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at, 4));
        if (length > maxBytes || at + 4 + length > image.Length || resource.Offset + 4 + length > directory.Size)
        {
            throw new OnnxFormatException($"{assembly}: resource '{metadata.GetString(resource.Name)}' claims {length} bytes, more than the file or the {maxBytes}-byte limit allows.");
        }

        return image.AsSpan((int)at + 4, (int)length).ToArray();
    }

    private static MetadataReader Metadata(PEReader pe, string assembly) =>
        pe.HasMetadata && pe.PEHeaders.CorHeader is not null
            ? pe.GetMetadataReader()
            : throw new OnnxFormatException($"{assembly}: not a .NET assembly.");
}
