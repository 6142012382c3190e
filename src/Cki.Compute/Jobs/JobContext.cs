using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Registry;
using Cki.Contracts.Jobs;
using Cki.Contracts.Manifests;
using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>What every job kind needs: its spec, the storage, the run's manifest snapshot and, on demand, the task.</summary>
public sealed class JobContext : IDisposable
{
    private const long MaxDataBytes = 2L << 30;
    private readonly Lazy<ITaskModel?> _task;
    private string? _dataFolder;

    /// <summary>
    /// Creates the context; the manifest is read and parsed here, the task only when first asked for, on
    /// <paramref name="device"/> (the CPU when null).
    /// </summary>
    public JobContext(JobSpec spec, JobStorage storage, Action<string> log, CancellationToken cancellationToken, Device? device = null)
    {
        Spec = spec;
        Device = device ?? CPU;
        Storage = storage;
        Log = log;
        CancellationToken = cancellationToken;
        var text = storage.ReadSmall(spec.Manifest, FamilyManifestParser.MaxManifestBytes, cancellationToken);
        Manifest = FamilyManifestParser.Parse(System.Text.Encoding.UTF8.GetString(text), spec.Manifest);
        _task = new Lazy<ITaskModel?>(CreateTask);
    }

    /// <summary>The spec.</summary>
    public JobSpec Spec { get; }

    /// <summary>The storage account.</summary>
    public JobStorage Storage { get; }

    /// <summary>The run's manifest.</summary>
    public FamilyManifest Manifest { get; }

    /// <summary>Progress lines.</summary>
    public Action<string> Log { get; }

    /// <summary>Cancels the job.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Where the task keeps its data and runs its forward passes.</summary>
    public Device Device { get; }

    /// <summary>The task of the manifest, or null for <c>task: none</c>.</summary>
    public ITaskModel? Task => _task.Value;

    /// <summary>The task, or an error saying the job kind needs one.</summary>
    public ITaskModel RequireTask() =>
        Task ?? throw new InvalidOperationException($"{Spec.Manifest}: task: a '{Spec.Kind}' job needs a task; the manifest says none.");

    /// <summary>The URLs of the inputs, model A first.</summary>
    public IReadOnlyList<string> InputUrls => Spec.Inputs.Select(Storage.Url).ToList();

    /// <summary>The URL of a file in this job's folder.</summary>
    public string OutputUrl(string fileName) => Storage.Url(BlobLayout.Qualified(BlobLayout.RunsContainer, BlobLayout.JobOutput(Spec.RunId, Spec.JobId, fileName)));

    /// <summary>The <c>container/name</c> of a file in this job's folder.</summary>
    public string OutputName(string fileName) => BlobLayout.Qualified(BlobLayout.RunsContainer, BlobLayout.JobOutput(Spec.RunId, Spec.JobId, fileName));

    private ITaskModel? CreateTask()
    {
        if (Manifest.Task == "none")
        {
            return null;
        }

        if (Manifest.Task == "movielens")
        {
            // The data the manifest references, downloaded for this job only.
            _dataFolder = Directory.CreateTempSubdirectory("cki-job-data-").FullName;
            Storage.Download(Manifest.Data["ratings"], Path.Combine(_dataFolder, MovieLensData.RatingsFile), MaxDataBytes, CancellationToken);
            Storage.Download(Manifest.Data["movies"], Path.Combine(_dataFolder, MovieLensData.MoviesFile), MaxDataBytes, CancellationToken);
            return TaskRegistry.Create(Manifest.Task, _dataFolder, Device);
        }

        if (Manifest.Task == "sentiment")
        {
            _dataFolder = Directory.CreateTempSubdirectory("cki-job-data-").FullName;
            Storage.Download(Manifest.Data["features"], Path.Combine(_dataFolder, Tasks.Sentiment.SentimentFeatures.FileName), MaxDataBytes, CancellationToken);
            return TaskRegistry.Create(Manifest.Task, _dataFolder, Device);
        }

        return TaskRegistry.Create(Manifest.Task, device: Device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_task.IsValueCreated && _task.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }

        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
