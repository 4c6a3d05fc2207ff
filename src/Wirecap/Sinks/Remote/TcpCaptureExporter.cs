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
    private readonly TcpClient _client;
    private readonly CaptureWriter _writer;
    private readonly FlushScheduler _flush;
    private bool _disposed;

    private TcpCaptureExporter(TcpClient client, CaptureWriterOptions writer, FlushPolicy flush, TimeProvider time)
    {
        _client = client;
        _writer = CaptureWriter.Create(client.GetStream(), CaptureFormat.PcapNg, writer);
        _flush = new FlushScheduler(flush, time, _gate);
        _flush.Attach(_writer);
        _flush.Flush(); // the section and interface blocks go out at once, so the receiver can start
    }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and sends the pcapng header with the
    /// interfaces of <paramref name="writer"/>. By default packets are flushed every 100 ms or 64 KiB.
    /// </summary>
    public static async Task<TcpCaptureExporter> ConnectAsync(string host, int port, CaptureWriterOptions? writer = null,
        FlushPolicy? flush = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new TcpCaptureExporter(client, writer ?? new CaptureWriterOptions(),
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

    /// <summary>Sends one packet. Throws <see cref="IOException"/> when the collector went away.</summary>
    public void Write(in PacketRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Write(record);
            PacketsSent++;
            _flush.Written();
        }
    }

    /// <summary>Pushes buffered packets onto the connection.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _flush.Flush();
        }
    }

    /// <summary>Flushes, then closes the connection (the collector sees a clean end of stream).</summary>
    public void Dispose()
    {
        _flush.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                _writer.Dispose();
            }
            finally
            {
                _client.Dispose();
            }
        }
    }
}
