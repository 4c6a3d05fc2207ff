using System.Net;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>An owned message <see cref="NcapDatagramReceiver.ReceiveAsync"/> received, and who sent it: what
/// <see cref="NcapDatagramReceiver.TryReceive(out NcapRecord, out EndPoint, TimeSpan, CancellationToken)"/> gives as two
/// out values (and <see cref="NcapDatagramReceiver.LastSequence"/>), in one value for an await. Not a packet role of its
/// own: the message is an <see cref="NcapMessage"/>, as <see cref="CollectedNcapMessage"/>'s is.</summary>
/// <param name="Message">The message (owned).</param>
/// <param name="Sender">The sender's endpoint.</param>
/// <param name="Sequence">The sender's sequence number, when the datagram had a trailer.</param>
public sealed record ReceivedNcapMessage(NcapMessage Message, EndPoint Sender, uint? Sequence);
