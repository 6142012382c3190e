namespace Cki.Contracts.Jobs;

/// <summary>
/// The environment variables of a <c>cki-compute</c> process: the dispatchers set them, the application reads them
/// (the compute library reads none: storage and data folders come in through its requests).
/// </summary>
public static class ComputeVariables
{
    /// <summary>The storage connection string for blob URLs under its endpoint (Azurite, or an account with a key).</summary>
    public const string StorageConnectionString = "CKI_STORAGE_CONNECTION_STRING";

    /// <summary>The MovieLens cache folder that a merge with <c>task: movielens</c> reads (default <c>.cache/movielens</c>).</summary>
    public const string MovieLensCache = "CKI_MOVIELENS_CACHE";
}
