namespace Cki.Host.Tools.Soak;

/// <summary>What one soak step does to a family.</summary>
public enum SoakStep
{
    /// <summary>A new version of every source, then the <c>_READY</c> marker.</summary>
    Drop,

    /// <summary>A new version uploaded file by file with pauses and no marker: the settle period must make one run of it.</summary>
    Trickle,

    /// <summary>A new version whose second model is truncated: its run must fail, naming the file.</summary>
    Truncated,

    /// <summary>A new version of models without tensors: its run must fail, naming the source.</summary>
    Empty,

    /// <summary>The same bytes as the current version uploaded again: no new run.</summary>
    Redrop,

    /// <summary>Terminates the family's running run, if any: nothing of it may be published or left under integrated/.</summary>
    Terminate,
}
