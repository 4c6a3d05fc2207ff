using System.Net;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>A message received by <see cref="NcapDatagramReceiver.ReceiveAsync"/> and who sent it.</summary>
/// <param name="Message">The message (owned).</param>
/// <param name="Sender">The sender's endpoint.</param>
/// <param name="Sequence">The sender's sequence number, when the datagram had a trailer.</param>
public sealed record ReceivedNcapMessage(NcapMessage Message, EndPoint Sender, uint? Sequence);
