using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>
/// Several capture points (interfaces, files, injectors, probes) into one pcapng file: one
/// interface block per point, and on every packet a comment naming its point (as Retis marks
/// packets with <c>probe=</c>), so one file shows where each packet was seen. Thread-safe.
/// </summary>
public sealed class MultiPointCapture : IDisposable
{
    private readonly object _gate = new();
    private readonly Func<CaptureInterface, CaptureWriter> _open;
    private readonly List<CapturePoint> _points = [];
    private CaptureWriter? _writer;

    /// <summary>Starts a pcapng capture on <paramref name="stream"/> (left open when <paramref name="leaveOpen"/>).</summary>
    public MultiPointCapture(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _open = first => CaptureWriter.Create(stream, CaptureFormat.PcapNg, new CaptureWriterOptions { LeaveOpen = leaveOpen, Interfaces = [first] });
    }

    /// <summary>Starts a pcapng capture in a new file.</summary>
    public MultiPointCapture(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _open = first => CaptureWriter.Create(path, CaptureFormat.PcapNg, new CaptureWriterOptions { Interfaces = [first] });
    }

    /// <summary>Points added so far.</summary>
    public IReadOnlyList<CapturePoint> Points { get { lock (_gate) return [.. _points]; } }

    /// <summary>
    /// Adds a capture point: an interface block named <paramref name="name"/>, and the comment put on
    /// each of its packets (<c>point=NAME</c> unless <paramref name="comment"/> says otherwise).
    /// </summary>
    public CapturePoint AddPoint(string name, LinkType linkType, string? description = null, string? comment = null, int snapLength = 262_144)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var block = new CaptureInterface { Name = name, Description = description, LinkType = linkType, SnapLength = snapLength };
        lock (_gate)
        {
            // The file starts with the first point's block, so it holds exactly one interface per point.
            int id;
            if (_writer is null)
            {
                _writer = _open(block);
                id = 0;
            }
            else id = _writer.AddInterface(block);
            var point = new CapturePoint(this, id, name, linkType, comment ?? $"point={name}");
            _points.Add(point);
            return point;
        }
    }

    internal void Write(CapturePoint point, in PacketRecord record)
    {
        if (record.LinkType != point.LinkType)
            throw new ArgumentException($"point '{point.Name}' carries {point.LinkType}, not {record.LinkType}", nameof(record));
        var onPoint = new PacketRecord(record.Data, record.TimestampNanoseconds, record.OriginalLength, point.LinkType, point.InterfaceId)
        {
            Flags = record.Flags,
            DropCount = record.DropCount,
            PacketId = record.PacketId,
            Hash = record.Hash,
        };
        lock (_gate) _writer!.Write(onPoint, point.Comments);
    }

    /// <summary>Pushes buffered packets to the stream.</summary>
    public void Flush()
    {
        lock (_gate) _writer?.Flush();
    }

    /// <summary>Closes the file (a capture without points still gets a valid file, with one unnamed Ethernet interface).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _writer ??= _open(new CaptureInterface());
            _writer.Dispose();
        }
    }
}

/// <summary>One source of a <see cref="MultiPointCapture"/>: write its packets here.</summary>
public sealed class CapturePoint
{
    private readonly MultiPointCapture _capture;

    internal CapturePoint(MultiPointCapture capture, int interfaceId, string name, LinkType linkType, string comment)
    {
        _capture = capture;
        InterfaceId = interfaceId;
        Name = name;
        LinkType = linkType;
        Comments = [comment];
    }

    /// <summary>The point's interface number in the file.</summary>
    public int InterfaceId { get; }

    /// <summary>The point's name (the interface block's <c>if_name</c>).</summary>
    public string Name { get; }

    /// <summary>Link type of the point's packets.</summary>
    public LinkType LinkType { get; }

    internal IReadOnlyList<string> Comments { get; }

    /// <summary>Writes a packet seen at this point (its interface id is replaced by the point's).</summary>
    public void Write(in PacketRecord record) => _capture.Write(this, record);
}
