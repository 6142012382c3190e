using Cki.Compute.Checkpoints;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Cli;

/// <summary>The one place where <c>cki-compute</c> reads its environment (<see cref="ComputeVariables"/>).</summary>
internal static class ComputeEnvironment
{
    /// <summary>The storage connection string, null when unset.</summary>
    public static string? StorageConnectionString => Read(ComputeVariables.StorageConnectionString);

    /// <summary>Checkpoint locations authenticated with <see cref="StorageConnectionString"/> where it applies.</summary>
    public static CheckpointLocations Locations => CheckpointLocations.For(StorageConnectionString);

    /// <summary>The MovieLens cache folder for merges with <c>task: movielens</c>, null for the task's default.</summary>
    public static string? MovieLensCache => Read(ComputeVariables.MovieLensCache);

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
