namespace Cki.Host.Triggers;

/// <summary>Wakes the blob poller before its next tick (a local job just exited, so its result is likely there).</summary>
public sealed class PollSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks for a poll now.</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another wake got there first; one is enough.
            }
        }
    }

    /// <summary>Waits for <paramref name="interval"/> or a wake, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken) => _signal.WaitAsync(interval, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();
}
