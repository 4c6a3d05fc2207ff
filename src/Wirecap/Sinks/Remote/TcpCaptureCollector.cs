using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>
/// The receiving side of <see cref="TcpCaptureExporter"/> (or of any program that streams pcap or
/// pcapng over TCP): accepts connections and writes each one's packets, validated, into its own
/// file. A stream that ends cleanly or is cut is reported through <see cref="StreamCompleted"/>
/// with its packet count and error.
/// </summary>
public sealed class TcpCaptureCollector : IAsyncDisposable
{
    private const int ReceiveSegmentSize = 64 * 1024;
    private readonly TcpListener _listener;
    private readonly string _directory;
    private readonly CaptureFormat _format;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<CollectedStream> _completed = [];
    private Task? _acceptLoop;
    private int _connectionCount;

    /// <summary>Listens on <paramref name="endpoint"/> (port 0 picks one) and writes files into <paramref name="directory"/>.</summary>
    public TcpCaptureCollector(IPEndPoint endpoint, string directory, CaptureFormat format = CaptureFormat.PcapNg)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Directory.CreateDirectory(directory);
        _directory = directory;
        _format = format;
        _listener = new TcpListener(endpoint);
    }

    /// <summary>Raised (on a pool thread) when a connection's stream has ended and its file is closed.</summary>
    public event Action<CollectedStream>? StreamCompleted;

    /// <summary>The address being listened on.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Streams finished so far.</summary>
    public IReadOnlyList<CollectedStream> Completed { get { lock (_completed) return [.. _completed]; } }

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            int number = Interlocked.Increment(ref _connectionCount);
            lock (_connections) _connections.Add(Task.Run(() => ReceiveAsync(client, number, cancellationToken), CancellationToken.None));
        }
    }

    private async Task ReceiveAsync(TcpClient client, int number, CancellationToken cancellationToken)
    {
        var remote = client.Client.RemoteEndPoint;
        string path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture,
            $"collected-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{number}.{(_format == CaptureFormat.Pcap ? "pcap" : "pcapng")}"));
        long packets = 0;
        Exception? error = null;
        CaptureWriter? writer = null;
        var interfaceMap = new Dictionary<CaptureInterface, int>(ReferenceEqualityComparer.Instance);
        try
        {
            // Records are parsed in the pipe's buffers; one cut between two of them is still written whole.
            var pipe = PipeReader.Create(client.GetStream(), new StreamPipeReaderOptions(bufferSize: ReceiveSegmentSize));
            using (client)
            await using (var reader = await CaptureReader.OpenAsync(pipe, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var record = reader.Current;
                    var source = reader.Format == CaptureFormat.PcapNg ? reader.Interfaces[record.InterfaceId] : null;
                    writer ??= CreateWriter(path, source ?? new CaptureInterface { LinkType = record.LinkType }, interfaceMap);
                    int id = source is null ? 0 : MapInterface(writer, source, interfaceMap);
                    if (record.HasComments) writer.Write(Rebase(record, id), record.ToPacket().Comments);
                    else writer.Write(Rebase(record, id));
                    packets++;
                }
            }
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or OperationCanceledException or SocketException
            or ArgumentException /* e.g. a second link type sent to a pcap output */)
        {
            error = e;
        }
        finally
        {
            writer ??= CaptureWriter.Create(path, _format); // an empty stream still leaves a valid, empty file
            writer.Dispose();
        }
        var result = new CollectedStream(remote, path, packets, error);
        lock (_completed) _completed.Add(result);
        StreamCompleted?.Invoke(result);
    }

    private CaptureWriter CreateWriter(string path, CaptureInterface first, Dictionary<CaptureInterface, int> map)
    {
        var writer = CaptureWriter.Create(path, _format, new CaptureWriterOptions
        {
            LinkType = first.LinkType,
            SnapLength = first.SnapLength,
            Precision = TimestampPrecision.Nanosecond,
            Interfaces = _format == CaptureFormat.PcapNg ? [first] : [],
        });
        map[first] = 0;
        return writer;
    }

    private static int MapInterface(CaptureWriter writer, CaptureInterface source, Dictionary<CaptureInterface, int> map)
    {
        if (!map.TryGetValue(source, out int id))
        {
            id = writer.AddInterface(source);
            map[source] = id;
        }
        return id;
    }

    private static PacketRecord Rebase(in PacketRecord record, int interfaceId) =>
        new(record.Data, record.TimestampNanoseconds, record.OriginalLength, record.LinkType, interfaceId)
        {
            Flags = record.Flags,
            DropCount = record.DropCount,
            PacketId = record.PacketId,
            Hash = record.Hash,
        };

    /// <summary>Stops listening, ends open connections and waits for their files to be closed.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
    }
}
