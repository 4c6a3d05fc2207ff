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
/// with its packet count and error; a connection past a limit of <see cref="TcpCaptureCollectorOptions"/>
/// through <see cref="StreamRefused"/>. File names are made here (time and a counter), never from what a sender says.
/// </summary>
public sealed class TcpCaptureCollector : IAsyncDisposable
{
    private const int ReceiveSegmentSize = 64 * 1024;
    private readonly TcpListener _listener;
    private readonly string _directory;
    private readonly TcpCaptureCollectorOptions _options;
    private readonly CollectorQuota _quota;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<CollectedStream> _completed = [];
    private Task? _acceptLoop;
    private int _connectionCount, _active;
    private long _refused, _cut;

    /// <summary>Listens on <paramref name="endpoint"/> (port 0 picks one) and writes files into <paramref name="directory"/>.</summary>
    public TcpCaptureCollector(IPEndPoint endpoint, string directory, CaptureFormat format = CaptureFormat.PcapNg)
        : this(endpoint, directory, new TcpCaptureCollectorOptions { Format = format })
    {
    }

    /// <summary>Listens on <paramref name="endpoint"/> (port 0 picks one) and writes files into <paramref name="directory"/>
    /// within the limits of <paramref name="options"/>.</summary>
    public TcpCaptureCollector(IPEndPoint endpoint, string directory, TcpCaptureCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(directory);
        _directory = directory;
        _options = options;
        _quota = new CollectorQuota(options.MaxDirectoryBytes);
        _listener = new TcpListener(endpoint);
    }

    /// <summary>Raised (on a pool thread) when a connection's stream has ended and its file is closed.</summary>
    public event Action<CollectedStream>? StreamCompleted;

    /// <summary>Raised when a connection is closed unread because of a limit (on the accepting thread) or because its
    /// TLS handshake failed (on a pool thread).</summary>
    public event Action<RefusedStream>? StreamRefused;

    /// <summary>The address being listened on.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Streams finished so far.</summary>
    public IReadOnlyList<CollectedStream> Completed { get { lock (_completed) return [.. _completed]; } }

    /// <summary>Connections refused by a limit or a failed TLS handshake.</summary>
    public long StreamsRefused => Interlocked.Read(ref _refused);

    /// <summary>Streams cut by a limit (each also completed, with a <see cref="CollectorLimitException"/>).</summary>
    public long StreamsCut => Interlocked.Read(ref _cut);

    /// <summary>Bytes the directory's files hold, as the collector counts them (see <see cref="TcpCaptureCollectorOptions.MaxDirectoryBytes"/>).</summary>
    public long DirectoryBytes => _quota.Used;

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        _quota.CountExisting(_directory);
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
            var budget = new StreamBudget(_quota, _options.MaxBytesPerStream);
            if (Interlocked.Increment(ref _active) > _options.MaxConcurrentStreams)
            {
                Refuse(client, CollectorLimit.ConcurrentStreams, $"{_options.MaxConcurrentStreams} streams are already open");
                continue;
            }
            if (!budget.TryAdmit())
            {
                Refuse(client, CollectorLimit.DirectoryBytes, $"the directory reached its limit of {_options.MaxDirectoryBytes} bytes");
                continue;
            }
            int number = Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(Task.Run(() => ReceiveAsync(client, number, budget, cancellationToken), CancellationToken.None));
            }
        }
    }

    private void Refuse(TcpClient client, CollectorLimit limit, string reason) => Refuse(client, client.Client.RemoteEndPoint, limit, reason);

    private void Refuse(TcpClient client, EndPoint? remote, CollectorLimit limit, string reason)
    {
        // A reset rather than an orderly close: the sender learns at once that nothing it sends is kept.
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed (a failed TLS handshake may have ended the connection).
        }
        client.Dispose();
        Interlocked.Decrement(ref _active);
        Interlocked.Increment(ref _refused);
        StreamRefused?.Invoke(new RefusedStream(remote, limit, $"refused {remote}: {reason}"));
    }

    private async Task ReceiveAsync(TcpClient client, int number, StreamBudget budget, CancellationToken cancellationToken)
    {
        var remote = client.Client.RemoteEndPoint;
        var transport = await OpenTransportAsync(client, remote, budget, cancellationToken).ConfigureAwait(false);
        if (transport is null) return;
        string path;
        FileStream file;
        try
        {
            (path, file) = CreateFile(number);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            budget.Settle(0);
            Interlocked.Decrement(ref _active);
            Complete(new CollectedStream(remote, "", 0, e));
            return;
        }
        long packets = 0;
        Exception? error = null;
        CaptureWriter? writer = null;
        var interfaceMap = new Dictionary<CaptureInterface, int>(ReferenceEqualityComparer.Instance);
        try
        {
            // Records are parsed in the pipe's buffers; one cut between two of them is still written whole.
            var pipe = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: ReceiveSegmentSize));
            using (client)
            await using (transport)
            await using (var reader = await CaptureReader.OpenAsync(pipe, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var record = reader.Current;
                    var source = reader.Format == CaptureFormat.PcapNg ? reader.Interfaces[record.InterfaceId] : null;
                    long position = writer?.Position ?? 0;
                    if (writer is null || (source is not null && !interfaceMap.ContainsKey(source)))
                        Reserve(budget, StreamBudget.InterfaceBytes(source ?? new CaptureInterface()), position);
                    Reserve(budget, StreamBudget.RecordBytes(record), position);
                    writer ??= CreateWriter(file, source ?? new CaptureInterface { LinkType = record.LinkType }, interfaceMap);
                    int id = source is null ? 0 : MapInterface(writer, source, interfaceMap);
                    if (record.HasComments) writer.Write(Rebase(record, id), record.ToPacket().Comments);
                    else writer.Write(Rebase(record, id));
                    budget.Settle(writer.Position);
                    packets++;
                }
            }
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or OperationCanceledException or SocketException
            or ArgumentException /* e.g. a second link type sent to a pcap output */)
        {
            // SslStream may wrap what the idle timeout threw below it.
            error = e is not CollectorLimitException && e.InnerException is CollectorLimitException limit ? limit : e;
            if (error is CollectorLimitException) Interlocked.Increment(ref _cut);
        }
        finally
        {
            client.Dispose();
            writer ??= CaptureWriter.Create(file, _options.Format); // an empty stream still leaves a valid, empty file
            long size = writer.Position;
            writer.Dispose();
            budget.Settle(size);
            Interlocked.Decrement(ref _active);
        }
        Complete(new CollectedStream(remote, path, packets, error));
    }

    /// <summary>The connection as the stream to read: behind the idle timeout, and under TLS once the sender's
    /// certificate is accepted. Null when the handshake failed: the connection is then refused, before any file exists,
    /// and the header's reservation is given back first, so whoever hears of the refusal sees the directory's count
    /// without it.</summary>
    private async Task<Stream?> OpenTransportAsync(TcpClient client, EndPoint? remote, StreamBudget budget, CancellationToken cancellationToken)
    {
        Stream transport = client.GetStream();
        if (_options.IdleTimeout is { } idle) transport = new IdleTimeoutStream(transport, idle);
        if (_options.Tls is not { } tls) return transport;
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(_options.HandshakeTimeout);
        try
        {
            return await tls.AcceptAsync(transport, handshake.Token).ConfigureAwait(false);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            budget.Settle(0);
            Refuse(client, remote, CollectorLimit.Authentication, $"TLS: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            budget.Settle(0);
            Refuse(client, remote, CollectorLimit.Authentication, $"TLS: no handshake within {_options.HandshakeTimeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException)
        {
            budget.Settle(0);
            client.Dispose();
            Interlocked.Decrement(ref _active);
        }
        return null;
    }

    private void Complete(CollectedStream result)
    {
        lock (_completed) _completed.Add(result);
        StreamCompleted?.Invoke(result);
    }

    private static void Reserve(StreamBudget budget, long bytes, long position)
    {
        if (budget.TryReserve(bytes, position) is { } cut) throw cut;
    }

    /// <summary>A new file named by time and connection number. CreateNew (O_EXCL) never replaces a file, nor follows
    /// a link someone left under the name: a name taken gets a suffix.</summary>
    private (string Path, FileStream File) CreateFile(int number)
    {
        string extension = _options.Format == CaptureFormat.Pcap ? "pcap" : "pcapng";
        string stem = string.Create(CultureInfo.InvariantCulture, $"collected-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{number}");
        for (int attempt = 0; ; attempt++)
        {
            string path = Path.Combine(_directory, attempt == 0 ? $"{stem}.{extension}" : $"{stem}-{attempt}.{extension}");
            try
            {
                return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0));
            }
            catch (IOException) when (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                if (attempt >= 100) throw;
            }
        }
    }

    private CaptureWriter CreateWriter(FileStream file, CaptureInterface first, Dictionary<CaptureInterface, int> map)
    {
        var writer = CaptureWriter.Create(file, _options.Format, new CaptureWriterOptions
        {
            LinkType = first.LinkType,
            SnapLength = first.SnapLength,
            Precision = TimestampPrecision.Nanosecond,
            Interfaces = _options.Format == CaptureFormat.PcapNg ? [first] : [],
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
