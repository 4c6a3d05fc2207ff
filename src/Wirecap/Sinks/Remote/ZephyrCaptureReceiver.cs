using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Linux;

namespace Wirecap.Sinks;

/// <summary>
/// The host end of Zephyr's net_capture tunnel (what its net-tools <c>net-capture.py</c> does): every UDP datagram
/// carries one captured frame, Ethernet or Linux cooked v1/v2, stamped here on arrival. As an
/// <see cref="ILiveCapture"/> it feeds whatever takes a live capture: the engine, the file sinks, the command line.
/// A datagram too short for its link-layer header is counted in <see cref="TooShort"/>, never delivered.
/// </summary>
public sealed class ZephyrCaptureReceiver : ILiveCapture
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);
    private readonly Socket _socket;
    private readonly ZephyrReceiverOptions _options;
    private readonly int _minimumLength;
    private readonly PacketFilter? _filter;
    private readonly byte[] _buffer = new byte[65536];
    private readonly string _socketInode;
    private long _received, _tooShort, _filtered, _delivered, _deliveredBytes;
    private int _stopRequested, _disposed;

    private ZephyrCaptureReceiver(Socket socket, ZephyrReceiverOptions options)
    {
        _socket = socket;
        _options = options;
        _minimumLength = options.MinimumLength;
        _filter = options.FilterExpression is null ? null : PacketFilter.Create(options.FilterExpression, options.LinkType);
        _socketInode = SocketInode(socket);
        InterfaceName = string.Create(CultureInfo.InvariantCulture, $"zephyr:{LocalEndPoint}");
    }

    /// <summary>Binds the UDP socket of <paramref name="options"/> (port 0 picks one).</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    /// <exception cref="FilterException">The filter expression does not compile.</exception>
    public static ZephyrCaptureReceiver Bind(ZephyrReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var socket = new Socket(options.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.Endpoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            socket.Bind(options.Endpoint);
            return new ZephyrCaptureReceiver(socket, options);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound address (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <inheritdoc/>
    public string InterfaceName { get; }

    /// <inheritdoc/>
    public LinkType LinkType => _options.LinkType;

    /// <inheritdoc/>
    public int SnapLength => _options.SnapLength;

    /// <summary>Datagrams shorter than the link-layer header of <see cref="LinkType"/>, dropped.</summary>
    public long TooShort => Volatile.Read(ref _tooShort);

    /// <summary>This receiver as a pcapng interface.</summary>
    public CaptureInterface WriterInterface => new()
    {
        Name = InterfaceName,
        LinkType = LinkType,
        SnapLength = SnapLength,
        TimestampResolution = 9,
        Description = "Zephyr net_capture frames over UDP, stamped on arrival",
    };

    IReadOnlyList<CaptureInterface> ILiveCapture.WriterInterfaces => [WriterInterface];

    /// <inheritdoc/>
    public long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
        where THandler : struct, IFrameHandler
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        long delivered = 0;
        while (maxPackets < 0 || delivered < maxPackets)
        {
            if (cancellationToken.IsCancellationRequested || Interlocked.Exchange(ref _stopRequested, 0) == 1) break;
            int length;
            try
            {
                if (!_socket.Poll(PollSlice, SelectMode.SelectRead)) continue;
                length = _socket.Receive(_buffer, SocketFlags.None);
            }
            catch (Exception e) when ((e is ObjectDisposedException or SocketException) && Volatile.Read(ref _disposed) == 1)
            {
                break;
            }
            // Arrival time, read once the datagram is off the socket.
            long timestamp = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            if (Deliver(_buffer.AsSpan(0, length), timestamp, ref handler)) delivered++;
        }
        return delivered;
    }

    private bool Deliver<THandler>(ReadOnlySpan<byte> datagram, long timestamp, ref THandler handler) where THandler : struct, IFrameHandler
    {
        Interlocked.Increment(ref _received);
        if (datagram.Length < _minimumLength)
        {
            Interlocked.Increment(ref _tooShort);
            return false;
        }
        var metadata = Metadata(datagram);
        var data = datagram.Length > SnapLength ? datagram[..SnapLength] : datagram;
        if (_filter is not null)
        {
            uint keep = _filter.Run(data, datagram.Length, metadata);
            if (keep == 0)
            {
                Interlocked.Increment(ref _filtered);
                return false;
            }
            if (keep < (uint)data.Length) data = data[..(int)keep];
        }
        handler.OnFrame(new CapturedFrame(data, LinkType, timestamp, datagram.Length, metadata));
        Interlocked.Increment(ref _delivered);
        Interlocked.Add(ref _deliveredBytes, data.Length);
        return true;
    }

    /// <summary>What the frame's own header says (the device's kernel is far away): protocol, packet type, hardware type.</summary>
    private LinuxPacketMetadata Metadata(ReadOnlySpan<byte> frame) => LinkType switch
    {
        LinkType.LinuxSll => new LinuxPacketMetadata
        {
            PacketType = (LinuxPacketType)BinaryPrimitives.ReadUInt16BigEndian(frame),
            HardwareType = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]),
            Protocol = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]),
        },
        LinkType.LinuxSll2 => new LinuxPacketMetadata
        {
            Protocol = BinaryPrimitives.ReadUInt16BigEndian(frame),
            InterfaceIndex = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]),
            HardwareType = BinaryPrimitives.ReadUInt16BigEndian(frame[8..]),
            PacketType = (LinuxPacketType)frame[10],
        },
        _ => new LinuxPacketMetadata
        {
            PacketType = LinuxPacketType.Host,
            HardwareType = 1,
            Protocol = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]),
        },
    };

    /// <inheritdoc/>
    public IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, CancellationToken cancellationToken = default) =>
        LiveCaptureChannel.ReadAllAsync(this, queueLength, cancellationToken);

    /// <summary>Counts since the socket was bound: datagrams received (short ones included), datagrams the socket's
    /// buffer overflowed with (the kernel's per-socket drop count), frames the filter rejected, frames delivered.</summary>
    public CaptureStatistics GetStatistics() =>
        new(Volatile.Read(ref _received) + SocketDrops(), SocketDrops(), Volatile.Read(ref _filtered), Volatile.Read(ref _delivered))
        {
            DeliveredBytes = Volatile.Read(ref _deliveredBytes),
        };

    /// <inheritdoc/>
    public void Stop() => Volatile.Write(ref _stopRequested, 1);

    /// <summary>Closes the socket; a read in progress returns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _socket.Dispose();
    }

    private static string SocketInode(Socket socket)
    {
        // /proc/self/fd/N links to "socket:[INODE]"; /proc/net/udp lists the socket under that inode.
        string? target = new FileInfo($"/proc/self/fd/{socket.SafeHandle.DangerousGetHandle()}").LinkTarget;
        return target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) ? target[8..^1] : "";
    }

    /// <summary>The drops column of this socket's line in /proc/net/udp or udp6 (0 when it cannot be read).</summary>
    private long SocketDrops()
    {
        if (_socketInode.Length == 0 || Volatile.Read(ref _disposed) == 1) return 0;
        foreach (var table in new[] { "/proc/self/net/udp", "/proc/self/net/udp6" })
        {
            try
            {
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 12 && fields[9] == _socketInode)
                        return long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
        }
        return 0;
    }
}
