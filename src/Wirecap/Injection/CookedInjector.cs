using System.Buffers.Binary;
using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Formats;

namespace Wirecap.Injection;

/// <summary>Receives each injected record; the record's bytes are valid only during the call.</summary>
public delegate void CookedRecordHandler(in PacketRecord record);

/// <summary>
/// Cooked-mode injection (as Zephyr's net_capture cooked mode): a program hands frames of any
/// protocol — CAN, HDLC, a simulated link — with a protocol type, a direction and an optional
/// link-layer address, and they become <see cref="LinkType.LinuxSll2"/> records that flow through
/// an optional filter to the handler (a file sink, an exporter...), so Wireshark can dissect them.
/// Thread-safe: injections are serialised. Nothing is allocated per frame.
/// </summary>
public sealed class CookedInjector
{
    private readonly object _gate = new();
    private readonly CookedInjectorOptions _options;
    private readonly CookedRecordHandler _handler;
    private readonly PacketFilter? _filter;
    private byte[] _buffer = new byte[2048];

    /// <summary>Creates an injector delivering to <paramref name="handler"/>, through <paramref name="filter"/> when given (a program for LINUX_SLL2).</summary>
    public CookedInjector(CookedRecordHandler handler, CookedInjectorOptions? options = null, BpfProgram? filter = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new CookedInjectorOptions();
        if (_options.SnapLength <= 0) throw new ArgumentOutOfRangeException(nameof(options), "SnapLength must be positive");
        _filter = filter is null ? null : PacketFilter.Create(filter, LinkType.LinuxSll2);
    }

    /// <summary>Frames injected.</summary>
    public long Injected { get; private set; }

    /// <summary>Frames the filter rejected.</summary>
    public long Filtered { get; private set; }

    /// <summary>
    /// Injects one frame. <paramref name="protocol"/> is its ETH_P_* type (0x000C CAN, 0x0007 PPP
    /// HDLC, 0x0800 IPv4...); <paramref name="linkLayerAddress"/> is at most 8 bytes.
    /// Returns false when the filter rejected it.
    /// </summary>
    public bool Inject(ReadOnlySpan<byte> frame, ushort protocol, LinuxPacketType packetType = LinuxPacketType.Host,
        ReadOnlySpan<byte> linkLayerAddress = default, ushort? hardwareType = null)
    {
        if (linkLayerAddress.Length > 8) throw new ArgumentException("a link-layer address is at most 8 bytes", nameof(linkLayerAddress));
        if (_options.AllowedProtocols is { } allowed && !allowed.Contains(protocol))
            throw new ArgumentException($"protocol 0x{protocol:x4} is not in this injector's allowed list", nameof(protocol));
        long timestamp = (_options.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        int captured = Math.Min(frame.Length, _options.SnapLength);
        lock (_gate)
        {
            int length = LinuxCookedHeader.V2Length + captured;
            if (_buffer.Length < length) _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            var record = _buffer.AsSpan(0, length);
            WriteHeader(record, protocol, (byte)packetType, hardwareType ?? _options.HardwareType, linkLayerAddress);
            frame[..captured].CopyTo(record[LinuxCookedHeader.V2Length..]);
            Injected++;
            if (_filter is not null)
            {
                // The filter reads protocol, packet type, interface and hardware type from the header just written.
                uint verdict = _filter.Run(record, LinuxCookedHeader.V2Length + frame.Length);
                if (verdict == 0)
                {
                    Filtered++;
                    return false;
                }
                if (verdict < (uint)record.Length) record = record[..(int)verdict];
            }
            _handler(new PacketRecord(record, timestamp, LinuxCookedHeader.V2Length + frame.Length, LinkType.LinuxSll2, 0)
            {
                Flags = (uint)(packetType == LinuxPacketType.Outgoing ? PacketDirection.Outbound : PacketDirection.Inbound), // pcapng epb_flags bits 0-1
            });
            return true;
        }
    }

    private void WriteHeader(Span<byte> header, ushort protocol, byte packetType, ushort hardwareType, ReadOnlySpan<byte> address)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, protocol);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], _options.InterfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(header[8..], hardwareType);
        header[10] = packetType;
        header[11] = (byte)address.Length;
        header.Slice(12, 8).Clear();
        address.CopyTo(header[12..]);
    }
}
