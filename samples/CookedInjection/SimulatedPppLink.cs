using System.Buffers.Binary;
using Wirecap;
using Wirecap.Injection;

namespace CookedInjectionSample;

/// <summary>Both ends of a PPP link agreeing on LCP options (MRU 1500), as a modem driver under test
/// would; frames are in HDLC-like framing without the flag bytes and FCS.</summary>
internal sealed class SimulatedPppLink(CookedInjector injector)
{
    private const ushort Lcp = 0xC021;
    private const byte ConfigureRequest = 1, ConfigureAck = 2, OptionMru = 1;

    public void Negotiate()
    {
        Send(ConfigureRequest, id: 1, LinuxPacketType.Outgoing);
        Send(ConfigureRequest, id: 7, LinuxPacketType.Host);
        Send(ConfigureAck, id: 7, LinuxPacketType.Outgoing);
        Send(ConfigureAck, id: 1, LinuxPacketType.Host);
    }

    private void Send(byte code, byte id, LinuxPacketType direction)
    {
        Span<byte> frame = stackalloc byte[12];
        frame[0] = 0xFF; // all-stations address
        frame[1] = 0x03; // unnumbered information
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], Lcp);
        frame[4] = code;
        frame[5] = id;
        BinaryPrimitives.WriteUInt16BigEndian(frame[6..], 8); // LCP length: header + one 4-byte option
        frame[8] = OptionMru;
        frame[9] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(frame[10..], 1500);
        // The link-layer address of a PPP frame is the direction byte pppd's capture uses: 0 in, 1 out.
        ReadOnlySpan<byte> address = [direction == LinuxPacketType.Outgoing ? (byte)1 : (byte)0];
        injector.Inject(frame, Protocols.PppHdlc, direction, address, Protocols.HardwarePpp);
    }
}
