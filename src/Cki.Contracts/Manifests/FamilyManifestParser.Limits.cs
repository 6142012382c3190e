namespace Cki.Contracts.Manifests;

public static partial class FamilyManifestParser
{
    /// <summary>The largest manifest accepted, in bytes: readers check a blob's size against it before downloading it.</summary>
    public const int MaxManifestBytes = YamlDocumentReader.MaxBytes;
}
