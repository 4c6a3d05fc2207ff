using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>
/// Receives NCAP datagrams (one message each) on a bound UDP socket. Unlike ncap, which kept one
/// "header seen" flag per socket (and left it uninitialised), the state is kept per sender
/// endpoint: a sender's messages are ignored and counted until its own 8-byte header datagram
/// (NCAP, version 42) arrived. Malformed datagrams are skipped and counted. When datagrams carry
/// the sequence trailer of <see cref="NcapDatagramSender"/>, lost datagrams are counted per sender.
/// The span path (<see cref="TryReceive(out NcapRecord, out EndPoint, TimeSpan, CancellationToken)"/>)
/// reuses one buffer and one endpoint object per sender, so it allocates nothing per datagram.
/// One thread receives at a time; the counters may be read from any thread.
/// </summary>
public sealed class NcapDatagramReceiver : IDisposable
{
    private const int BufferLength = 65_536;
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private readonly bool _ownsSocket;
    private readonly NcapDatagramReceiverOptions _options;
    private readonly byte[] _buffer = new byte[BufferLength];
    private readonly SocketAddress _from;
    private readonly EndPoint _template;
    private readonly Dictionary<SocketAddress, NcapSenderState> _senders = [];
    private long _datagrams, _messages, _headers, _unsupportedHeaders, _ignored, _malformed, _gaps, _late, _duplicates, _resets;

    /// <summary>Receives on <paramref name="socket"/>, a bound UDP socket.</summary>
    public NcapDatagramReceiver(Socket socket, NcapDatagramReceiverOptions? options = null, bool ownsSocket = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Dgram)
            throw new ArgumentException($"NCAP datagrams need a datagram socket, got {socket.SocketType}", nameof(socket));
        if (socket.LocalEndPoint is null)
            throw new ArgumentException("the socket is not bound: bind it to the port to listen on", nameof(socket));
        _options = options ?? new NcapDatagramReceiverOptions();
        _options.Validate();
        _socket = socket;
        _ownsSocket = ownsSocket;
        _from = new SocketAddress(socket.AddressFamily, SocketAddress.GetMaximumAddressSize(socket.AddressFamily));
        _template = socket.LocalEndPoint;
    }

    /// <summary>Binds a UDP socket to <paramref name="endpoint"/> (port 0 picks one; address reuse on,
    /// as ncaptool's <c>-l</c>) and returns a receiver that owns it.</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public static NcapDatagramReceiver Bind(IPEndPoint endpoint, NcapDatagramReceiverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Bursts outrun a reader briefly; the kernel caps this at net.core.rmem_max.
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(endpoint);
            return new NcapDatagramReceiver(socket, options, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound address (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Datagrams received, of every kind.</summary>
    public long DatagramsReceived => Volatile.Read(ref _datagrams);
    /// <summary>Messages delivered.</summary>
    public long MessagesReceived => Volatile.Read(ref _messages);
    /// <summary>File-header datagrams received.</summary>
    public long HeadersReceived => Volatile.Read(ref _headers);
    /// <summary>Header datagrams with a version other than 42 (the sender's messages are then ignored).</summary>
    public long UnsupportedHeaders => Volatile.Read(ref _unsupportedHeaders);
    /// <summary>Messages ignored because their sender's header had not been seen.</summary>
    public long IgnoredBeforeHeader => Volatile.Read(ref _ignored);
    /// <summary>Datagrams skipped because they do not hold a valid message.</summary>
    public long Malformed => Volatile.Read(ref _malformed);
    /// <summary>Datagrams lost, from the senders' sequence numbers (late arrivals are taken back off).</summary>
    public long Gaps => Volatile.Read(ref _gaps);
    /// <summary>Datagrams that arrived after a later one of the same sender.</summary>
    public long LateArrivals => Volatile.Read(ref _late);
    /// <summary>Datagrams whose sequence number repeated the previous one.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);
    /// <summary>Implausible sequence jumps, taken as a restarted sender.</summary>
    public long SequenceResets => Volatile.Read(ref _resets);
    /// <summary>Why the last malformed datagram was skipped.</summary>
    public string? LastMalformedReason { get; private set; }
    /// <summary>The sequence number of the last delivered message, when its datagram had a trailer.</summary>
    public uint? LastSequence { get; private set; }

    /// <summary>Senders whose state is kept.</summary>
    public int SenderCount => _senders.Count;

    /// <summary>Returns the next message if one is waiting, without blocking.</summary>
    public bool TryReceive(out NcapRecord record, out EndPoint sender) =>
        TryReceive(out record, out sender, TimeSpan.Zero);

    /// <summary>Waits up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit)
    /// for the next message. The record is a view of the receive buffer, valid until the next receive;
    /// <paramref name="sender"/> is the same object for every message of one sender.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool TryReceive(out NcapRecord record, out EndPoint sender, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long start = Environment.TickCount64;
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = infinite ? PollSlice : timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            if (_socket.Poll(remaining < PollSlice ? remaining : PollSlice, SelectMode.SelectRead))
            {
                int length = _socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
                if (Accept(length, out record, out var state))
                {
                    sender = state.EndPoint;
                    return true;
                }
            }
            else if (!infinite && remaining == TimeSpan.Zero)
            {
                record = default;
                sender = null!;
                return false;
            }
        }
    }

    /// <summary>Waits for the next message and returns an owned copy of it.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<ReceivedNcapMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int length = await _socket.ReceiveFromAsync(_buffer.AsMemory(), SocketFlags.None, _from, cancellationToken).ConfigureAwait(false);
            if (TryTake(length) is { } message) return message;
        }
    }

    private ReceivedNcapMessage? TryTake(int length) =>
        Accept(length, out var record, out var state) ? new ReceivedNcapMessage(record.ToMessage(), state.EndPoint, LastSequence) : null;

    private bool Accept(int length, out NcapRecord record, out NcapSenderState state)
    {
        record = default;
        Interlocked.Increment(ref _datagrams);
        state = Sender();
        var datagram = _buffer.AsSpan(0, length);
        if (length == NcapLayout.FileHeaderLength && NcapMessageDecoder.HasMagic(datagram))
        {
            Interlocked.Increment(ref _headers);
            state.HeaderSeen = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == NcapLayout.Version;
            if (!state.HeaderSeen) Interlocked.Increment(ref _unsupportedHeaders);
            return false;
        }
        if (_options.RequireHeader && !state.HeaderSeen)
        {
            Interlocked.Increment(ref _ignored);
            return false;
        }
        if (length < NcapLayout.FixedLength)
            return Reject($"a {length}-byte datagram is shorter than the {NcapLayout.FixedLength}-byte message fixed part");
        uint messageLength = BinaryPrimitives.ReadUInt32BigEndian(datagram);
        if (messageLength < NcapLayout.FixedLength || messageLength > (uint)length)
            return Reject($"message length {messageLength} does not fit the {length}-byte datagram");
        if (!NcapMessageDecoder.TryDecode(datagram[..(int)messageLength], out record, out string? error, out _))
            return Reject(error!);
        if (NcapSequenceTrailer.TryRead(datagram[(int)messageLength..], out uint sequence))
        {
            Track(state, sequence);
            LastSequence = sequence;
        }
        else LastSequence = null;
        Interlocked.Increment(ref _messages);
        return true;
    }

    private bool Reject(string reason)
    {
        LastMalformedReason = reason;
        Interlocked.Increment(ref _malformed);
        return false;
    }

    private void Track(NcapSenderState state, uint sequence)
    {
        if (!state.HasSequence)
        {
            state.HasSequence = true;
            state.LastSequence = sequence;
            return;
        }
        uint ahead = sequence - state.LastSequence;
        uint behind = state.LastSequence - sequence;
        if (ahead == 0) Interlocked.Increment(ref _duplicates);
        else if (ahead < _options.MaxSequenceJump)
        {
            Interlocked.Add(ref _gaps, ahead - 1);
            state.LastSequence = sequence;
        }
        else if (behind < _options.MaxSequenceJump)
        {
            // Counted as lost when a later one overtook it; it was only late.
            Interlocked.Increment(ref _late);
            if (Volatile.Read(ref _gaps) > 0) Interlocked.Decrement(ref _gaps);
        }
        else
        {
            Interlocked.Increment(ref _resets);
            state.LastSequence = sequence;
        }
    }

    private NcapSenderState Sender()
    {
        long now = _datagrams;
        if (_senders.TryGetValue(_from, out var state))
        {
            state.LastHeard = now;
            return state;
        }
        if (_senders.Count >= _options.MaxSenders) ForgetQuietest();
        var key = new SocketAddress(_from.Family, _from.Size);
        _from.Buffer.Span[.._from.Size].CopyTo(key.Buffer.Span);
        state = new NcapSenderState(_template.Create(key)) { LastHeard = now };
        _senders.Add(key, state);
        return state;
    }

    private void ForgetQuietest()
    {
        SocketAddress? quietest = null;
        long oldest = long.MaxValue;
        foreach (var (address, sender) in _senders)
        {
            if (sender.LastHeard < oldest)
            {
                oldest = sender.LastHeard;
                quietest = address;
            }
        }
        if (quietest is not null) _senders.Remove(quietest);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsSocket) _socket.Dispose();
    }
}
