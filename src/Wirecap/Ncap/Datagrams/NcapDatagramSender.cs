using System.Net;
using System.Net.Sockets;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>
/// Sends NCAP messages over UDP the way ncap's datagram sinks do: exactly one message per
/// datagram, preceded by an 8-byte file-header datagram first, after every
/// <see cref="NcapDatagramSenderOptions.HeaderEveryMessages"/> messages and every
/// <see cref="NcapDatagramSenderOptions.HeaderInterval"/>. Transient network errors mute the
/// sender for <see cref="NcapDatagramSenderOptions.MuteDuration"/> (messages offered meanwhile are
/// dropped and counted); it then starts again with a header. Messages are encoded into one reused
/// buffer, so sending allocates nothing. Thread-safe.
/// </summary>
public sealed class NcapDatagramSender : IDisposable
{
    /// <summary>The largest UDP payload over IPv4.</summary>
    public const int MaxDatagramLength = 65_507;

    private readonly object _gate = new();
    private readonly Socket _socket;
    private readonly bool _ownsSocket;
    private readonly SocketAddress? _destination;
    private readonly NcapDatagramSenderOptions _options;
    private readonly NcapSendPacer? _pacer;
    private readonly SocketFlags _flags;
    private readonly byte[] _buffer = new byte[MaxDatagramLength];
    private readonly byte[] _header = new byte[NcapLayout.FileHeaderLength];
    private bool _headerDue = true;
    private int _sinceHeader;
    private long _lastHeader;
    private long _mutedUntil;
    private bool _muted;
    private uint _sequence;
    private bool _disposed;

    /// <summary>Sends on <paramref name="socket"/>: to <paramref name="destination"/> when given,
    /// otherwise to the address the socket is connected to.</summary>
    /// <param name="socket">A UDP socket.</param>
    /// <param name="destination">Where to send, for an unconnected socket.</param>
    /// <param name="options">Pacing and framing; null for ncaptool's defaults.</param>
    /// <param name="ownsSocket">Dispose the socket with the sender.</param>
    public NcapDatagramSender(Socket socket, EndPoint? destination = null, NcapDatagramSenderOptions? options = null, bool ownsSocket = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Dgram)
            throw new ArgumentException($"NCAP datagrams need a datagram socket, got {socket.SocketType}", nameof(socket));
        if (destination is null && !socket.Connected)
            throw new ArgumentException("the socket is not connected: give a destination", nameof(destination));
        _options = options ?? new NcapDatagramSenderOptions();
        _options.Validate();
        _socket = socket;
        _ownsSocket = ownsSocket;
        _destination = destination?.Serialize();
        _flags = _options.DontRoute ? SocketFlags.DontRoute : SocketFlags.None;
        if (_options.MaxMessagesPerSecond is { } rate) _pacer = new NcapSendPacer(rate, _options.Time);
        NcapMessageEncoder.WriteFileHeader(_header);
    }

    /// <summary>Creates a UDP socket connected to <paramref name="host"/>:<paramref name="port"/>
    /// (broadcast allowed, as ncaptool's sinks) and a sender that owns it.</summary>
    /// <exception cref="SocketException">The host cannot be resolved or the socket not connected.</exception>
    public static NcapDatagramSender Connect(string host, int port, NcapDatagramSenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var address = IPAddress.TryParse(host, out var literal) ? literal : Dns.GetHostAddresses(host)[0];
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetwork) socket.EnableBroadcast = true;
            socket.Connect(new IPEndPoint(address, port));
            return new NcapDatagramSender(socket, null, options, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Messages sent.</summary>
    public long MessagesSent { get; private set; }

    /// <summary>Header datagrams sent.</summary>
    public long HeadersSent { get; private set; }

    /// <summary>Messages dropped because the sender was muted (including each one whose send failed).</summary>
    public long DroppedWhileMuted { get; private set; }

    /// <summary>Times a network error muted the sender.</summary>
    public long Mutes { get; private set; }

    /// <summary>Whether the sender is muted now.</summary>
    public bool IsMuted
    {
        get { lock (_gate) return _muted && _options.Time.GetTimestamp() < _mutedUntil; }
    }

    /// <summary>Sends one message (with a header datagram before it when one is due). Returns false
    /// when the message was dropped because the sender is muted.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent or does not fit a datagram.</exception>
    /// <exception cref="SocketException">A send failed with an error that is not transient.</exception>
    public bool Send(in NcapRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int trailer = _options.SequenceTrailer ? NcapSequenceTrailer.Length : 0;
            int length = record.EncodedLength;
            if (length > MaxDatagramLength - trailer)
                throw new ArgumentException($"an NCAP message of {length} bytes does not fit a UDP datagram (at most {MaxDatagramLength - trailer})", nameof(record));
            length = NcapMessageEncoder.Encode(record, _buffer);
            uint sequence = _sequence++;
            if (trailer > 0)
            {
                NcapSequenceTrailer.Write(_buffer.AsSpan(length), sequence);
                length += trailer;
            }
            _pacer?.Take();
            long now = _options.Time.GetTimestamp();
            if (_muted)
            {
                if (now < _mutedUntil)
                {
                    DroppedWhileMuted++;
                    return false;
                }
                _muted = false;
                _headerDue = true;
            }
            if (_headerDue || _sinceHeader >= _options.HeaderEveryMessages || _options.Time.GetElapsedTime(_lastHeader, now) >= _options.HeaderInterval)
            {
                if (!Transmit(_header, now))
                {
                    DroppedWhileMuted++;
                    return false;
                }
                HeadersSent++;
                _headerDue = false;
                _sinceHeader = 0;
                _lastHeader = now;
            }
            if (!Transmit(_buffer.AsSpan(0, length), now))
            {
                DroppedWhileMuted++;
                return false;
            }
            MessagesSent++;
            _sinceHeader++;
            return true;
        }
    }

    /// <summary>Sends one owned message; see <see cref="Send(in NcapRecord)"/>.</summary>
    public bool Send(NcapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        bool sent = false;
        message.WithRecord(this, (sender, record) => sent = sender.Send(record));
        return sent;
    }

    private bool Transmit(ReadOnlySpan<byte> datagram, long now)
    {
        SocketError error;
        if (_destination is null)
        {
            _socket.Send(datagram, _flags, out error);
        }
        else
        {
            try
            {
                _socket.SendTo(datagram, _flags, _destination);
                error = SocketError.Success;
            }
            catch (SocketException e)
            {
                error = e.SocketErrorCode;
            }
        }
        if (error == SocketError.Success) return true;
        if (!IsTransient(error))
            throw new SocketException((int)error);
        _muted = true;
        _mutedUntil = now + (long)(_options.MuteDuration.TotalSeconds * _options.Time.TimestampFrequency);
        Mutes++;
        return false;
    }

    private static bool IsTransient(SocketError error) => error is SocketError.NetworkDown or SocketError.NetworkUnreachable
        or SocketError.NoBufferSpaceAvailable or SocketError.TimedOut or SocketError.ConnectionRefused
        or SocketError.HostDown or SocketError.HostUnreachable;

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_ownsSocket) _socket.Dispose();
        }
    }
}
