using System.Net.Security;
using System.Net.Sockets;
using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>
/// Streams a capture as pcapng over TCP to a collector (ours, or anything that reads pcapng from a
/// socket or pipe, such as <c>tshark -r -</c>). TCP makes it lossless: when the network is slower
/// than the capture, writes block and the capture's own drop counters show the loss. Thread-safe.
/// </summary>
public sealed class TcpCaptureExporter : IDisposable
{
    private readonly object _gate = new();
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);
    private readonly TcpClient _client;
    private readonly SslStream? _tls;
    private readonly System.Net.EndPoint? _remote;
    private readonly CaptureWriter _writer;
    private readonly FlushScheduler _flush;
    private bool _disposed;

    private TcpCaptureExporter(TcpClient client, Stream transport, CaptureWriterOptions writer, FlushPolicy flush, TimeProvider time)
    {
        _client = client;
        _tls = transport as SslStream;
        _remote = client.Client.RemoteEndPoint; // read now: a socket the peer reset no longer says
        _writer = CaptureWriter.Create(transport, CaptureFormat.PcapNg, writer);
        _flush = new FlushScheduler(flush, time, _gate);
        _flush.Attach(_writer);
        _flush.Flush(); // the section and interface blocks go out at once, so the receiver can start
    }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and sends the pcapng header with the
    /// interfaces of <paramref name="writer"/>. By default packets are flushed every 100 ms or 64 KiB. With
    /// <paramref name="tls"/> the stream runs over TLS: this end presents its certificate and accepts the collector only
    /// with a certificate for <paramref name="host"/> from the trusted authorities.
    /// </summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS handshake failed; the message says why.</exception>
    public static async Task<TcpCaptureExporter> ConnectAsync(string host, int port, CaptureWriterOptions? writer = null,
        FlushPolicy? flush = null, TimeProvider? time = null, CaptureTls? tls = null, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream transport = tls is null
                ? client.GetStream()
                : await tls.ConnectAsync(client.GetStream(), host, cancellationToken).ConfigureAwait(false);
            return new TcpCaptureExporter(client, transport, writer ?? new CaptureWriterOptions(),
                flush ?? new FlushPolicy { Bytes = 64 * 1024, Interval = TimeSpan.FromMilliseconds(100) }, time ?? TimeProvider.System);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Bytes handed to the connection so far (headers included).</summary>
    public long BytesSent { get { lock (_gate) return _writer.Position; } }

    /// <summary>Packets sent so far.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Adds an interface to the stream (an Interface Description Block); returns its id.</summary>
    public int AddInterface(CaptureInterface captureInterface)
    {
        lock (_gate) return _writer.AddInterface(captureInterface);
    }

    /// <summary>Sends one packet. Throws <see cref="IOException"/> when the collector went away (or refused or cut the stream).</summary>
    public void Write(in PacketRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _writer.Write(record);
                PacketsSent++;
                _flush.Written();
            }
            catch (IOException e)
            {
                throw NotTaken(e);
            }
        }
    }

    /// <summary>Pushes buffered packets onto the connection.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _flush.Flush();
            }
            catch (IOException e)
            {
                throw NotTaken(e);
            }
        }
    }

    /// <summary>The connection broke under the stream: say what that most likely means.</summary>
    private IOException NotTaken(Exception e) =>
        new($"the collector at {_remote} closed the connection before the end of the stream (it refused this sender" +
            (_tls is null ? "" : "'s certificate") + $", or cut the stream at a limit): {e.Message}", e);

    /// <summary>Flushes, then closes the connection (the collector sees a clean end of stream). Under TLS it waits (up to
    /// 5 s) for the collector to close its end, which it does once it has the whole stream.</summary>
    /// <exception cref="IOException">Under TLS: the collector reset the connection before taking the whole stream (it
    /// refused this sender's certificate, or cut the stream at one of its limits), or did not close it in time. The
    /// connection is closed all the same. A refusal whose reset arrives only after a short stream was sent and closed
    /// can go unnoticed here; the collector always counts and reports it.</exception>
    public void Dispose()
    {
        _flush.Dispose();
        IOException? notTaken = null;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                if (_tls is not null) notTaken = CloseTls();
                _writer.Dispose();
            }
            catch (IOException e)
            {
                notTaken ??= NotTaken(e);
            }
            finally
            {
                _client.Dispose();
            }
        }
        if (notTaken is not null) throw notTaken;
    }

    /// <summary>Under TLS the collector writes too (session tickets, alerts): closing with those unread would reset the
    /// connection and could lose the stream's tail at the collector. So the end is said (close_notify, then FIN) and
    /// what the collector sends is read until it closes: a clean close means it read everything; a reset or an alert
    /// that it did not take the stream. Returns why not, or null.</summary>
    private IOException? CloseTls()
    {
        try
        {
            _writer.Flush();
            _tls!.ShutdownAsync().GetAwaiter().GetResult();
            _client.Client.Shutdown(SocketShutdown.Send);
            _client.Client.ReceiveTimeout = (int)CloseWait.TotalMilliseconds;
            var drain = new byte[4096];
            while (_tls.Read(drain) > 0)
            {
            }
            return null;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            return new IOException($"the collector at {_remote} did not close the stream within {CloseWait.TotalSeconds:0} s: it may not have all of it", e);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return NotTaken(e);
        }
    }
}
