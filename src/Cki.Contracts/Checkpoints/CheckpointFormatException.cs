namespace Cki.Contracts.Checkpoints;

/// <summary>The rule of the checkpoint format that a file breaks.</summary>
public enum CheckpointRule
{
    /// <summary>The file is shorter than the 8-byte header length.</summary>
    FileTooShort,
    /// <summary>The declared header length runs past the end of the file.</summary>
    HeaderBeyondFile,
    /// <summary>The declared header length is over the 100 MB limit.</summary>
    HeaderTooLarge,
    /// <summary>The header is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>The header is not valid JSON, or not of the expected shape.</summary>
    InvalidJson,
    /// <summary>A field of a tensor entry is missing, of the wrong type, or unknown.</summary>
    InvalidField,
    /// <summary>A dtype this format does not know.</summary>
    UnknownDtype,
    /// <summary>The product of a shape overflows 64 bits.</summary>
    ShapeOverflow,
    /// <summary>A shape's byte size disagrees with the tensor's offsets.</summary>
    ShapeSizeMismatch,
    /// <summary>Two tensors' byte ranges overlap.</summary>
    OffsetsOverlap,
    /// <summary>Bytes between two tensors belong to no tensor.</summary>
    OffsetsGap,
    /// <summary>The tensors do not cover the data buffer exactly (bytes left over at its end).</summary>
    BufferNotCovered,
    /// <summary>The file ends before the data the header describes.</summary>
    Truncated,
    /// <summary>Two tensors share one name.</summary>
    DuplicateName,
    /// <summary>A boolean tensor holds a byte other than 0 or 1.</summary>
    InvalidBool,
    /// <summary>A shard index is malformed or disagrees with its shards.</summary>
    InvalidIndex,
    /// <summary>A requested tensor is not in the checkpoint.</summary>
    MissingTensor,
}

/// <summary>
/// A checkpoint file breaks a rule of the format. The message names the file, the tensor (when one is at fault)
/// and what was expected; <see cref="Rule"/> says which rule for callers that branch on it.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the error.</summary>
    public CheckpointFormatException(string file, CheckpointRule rule, string detail, string? tensor = null, Exception? inner = null)
        : base(Compose(file, rule, detail, tensor), inner)
    {
        File = file;
        Rule = rule;
        Tensor = tensor;
    }

    /// <summary>The file or blob at fault.</summary>
    public string File { get; }

    /// <summary>The rule broken.</summary>
    public CheckpointRule Rule { get; }

    /// <summary>The tensor at fault, if one is.</summary>
    public string? Tensor { get; }

    private static string Compose(string file, CheckpointRule rule, string detail, string? tensor) =>
        tensor is null ? $"{file}: {detail} [{rule}]" : $"{file}: tensor '{tensor}': {detail} [{rule}]";
}
