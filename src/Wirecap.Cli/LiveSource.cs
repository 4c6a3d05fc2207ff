using Wirecap.Linux;

namespace Wirecap.Cli;

/// <summary>What the live command captures: <c>-i</c>'s interface (<see cref="InterfaceLiveSource"/>) or
/// <c>--listen zephyr</c>'s datagrams (<see cref="ZephyrLiveSource"/>). The command works on the
/// <see cref="ILiveCapture"/> it opens; a source adds to the command's messages only what is its own.</summary>
internal abstract class LiveSource
{
    /// <summary>Opens the capture the options describe.</summary>
    public abstract ILiveCapture Open(CliOptions options);

    /// <summary>Written to standard error once the capture is open, before <c>listening on</c>.</summary>
    public virtual Task WarnAsync(TextWriter stderr) => Task.CompletedTask;

    /// <summary>A line after tcpdump's closing counts, or null.</summary>
    public virtual string? ClosingLine(ILiveCapture capture) => null;

    /// <summary>What a socket error's message is prefixed with: empty where the error says itself what it tried.</summary>
    public virtual string SocketErrorPrefix => "";
}
