namespace Wirecap.Linux.Probes;

/// <summary>
/// A probe cannot be opened: an unknown or malformed probe name, a target without a <c>struct sk_buff *</c>
/// argument, a kind of probe this kernel does not offer, or a kernel that refused to load or attach it.
/// The message names the probe and the cause.
/// </summary>
public sealed class ProbeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProbeException(string message) : base(message) { }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public ProbeException(string message, Exception inner) : base(message, inner) { }
}
