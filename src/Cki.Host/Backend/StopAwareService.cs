using System.Reflection;
using System.Runtime.ExceptionServices;
using Core = DurableTask.Core;

namespace Cki.Host.Backend;

/// <summary>
/// Forwards <see cref="Core.IOrchestrationService"/> to the storage provider and exposes when its StartAsync and
/// StopAsync finished. The gRPC sidecar stops the provider from a callback nobody awaits; without waiting for it the
/// process exits holding its partition lease and the next host waits a whole lease interval before resuming.
/// </summary>
public class StopAwareService : DispatchProxy
{
    // How long a stop waits for a start in progress.
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Core.IOrchestrationService _target = null!;

    /// <summary>Completes when the provider has started.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the provider has stopped.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Wraps <paramref name="target"/>.</summary>
    public static StopAwareService Wrap(Core.IOrchestrationService target)
    {
        var proxy = (StopAwareService)(object)Create<Core.IOrchestrationService, StopAwareService>();
        proxy._target = target;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        // A stop that comes while the provider is still starting (a host stopped within a second of its start) would
        // stop a half-started provider, which throws on a thread nobody observes: stop it once it has started.
        var result = targetMethod.Name == "StopAsync" && targetMethod.ReturnType == typeof(Task)
            ? StopOnceStartedAsync(targetMethod, args)
            : Call(targetMethod, args);
        if (result is Task task && targetMethod.Name is "StartAsync" or "StopAsync")
        {
            var done = targetMethod.Name == "StartAsync" ? _started : _stopped;
            task.ContinueWith(t => { if (t.IsFaulted) { done.TrySetException(t.Exception!); } else { done.TrySetResult(); } }, TaskScheduler.Default);
        }

        return result;
    }

    private async Task StopOnceStartedAsync(MethodInfo stop, object?[]? args)
    {
        await Task.WhenAny(Started, Task.Delay(StartWait)).ConfigureAwait(false);
        await ((Task)Call(stop, args)!).ConfigureAwait(false);
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
