using System.Runtime.InteropServices;

namespace Cki.Host;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as one cancellation: the first signal asks the host to stop gracefully (the command's
/// token is cancelled, the host stops its API, jobs, workers, backend and the Azurite it started). A signal that comes
/// after this object is disposed, as the process exits, is ignored rather than thrown.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _disposed;

    /// <summary>Starts listening for the signals.</summary>
    public ShutdownSignal()
    {
        Token = _stop.Token;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // the process does not end here: the host stops itself and exits with 0
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the look and the cancel: the process is exiting anyway.
            }
        }
    }
}
