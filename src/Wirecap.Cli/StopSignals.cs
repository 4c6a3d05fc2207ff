using System.Runtime.InteropServices;

namespace Wirecap.Cli;

/// <summary>SIGINT (Ctrl-C), SIGTERM and SIGHUP cancel <see cref="Token"/> instead of killing the process, so a capture
/// stops cleanly and prints its counts, as tcpdump's do: SIGINT even when the process was started with it ignored (a
/// script's background job), SIGHUP unless it was ignored (nohup, with which tcpdump cooperates too). Dispose to
/// restore the default handling.</summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration? _hangUp;

    /// <param name="also">Another reason to stop: the caller's token (a host running the command in-process, a test).</param>
    public StopSignals(CancellationToken also = default)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(also);
        SignalDisposition.UnignoreForRegistration(SignalDisposition.SigInt);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        _hangUp = SignalDisposition.IsIgnored(SignalDisposition.SigHup) ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
    }

    public CancellationToken Token => _stop.Token;

    private void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _hangUp?.Dispose();
        _stop.Dispose();
    }
}
