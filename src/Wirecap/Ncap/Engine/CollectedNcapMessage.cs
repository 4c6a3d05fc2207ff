using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>An owned message <see cref="NcapEngine.CollectAsync"/> collected, and the source it came from: what
/// <see cref="NcapEngine.Collect"/> passes its handler as two arguments, in one value for an async stream. Not a packet
/// role of its own: the message is an <see cref="NcapMessage"/>, as <see cref="ReceivedNcapMessage"/>'s is.</summary>
/// <param name="Message">The message (owned).</param>
/// <param name="Source">The engine source it came from.</param>
public sealed record CollectedNcapMessage(NcapMessage Message, NcapSource Source);
