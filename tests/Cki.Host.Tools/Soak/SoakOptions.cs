namespace Cki.Host.Tools.Soak;

/// <summary>How long and how hard the soak pushes the host.</summary>
public sealed record SoakOptions
{
    /// <summary>Drops, bad inputs, terminations and re-uploads, in all.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Families the steps are spread over.</summary>
    public int Families { get; init; } = 4;

    /// <summary>Pause between two steps.</summary>
    public TimeSpan Pace { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the host gets after the last step to finish every run.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Seeds the order of the steps and the models' values.</summary>
    public int Seed { get; init; } = 7;
}
