using System.Text;

namespace Wirecap.Formats;

/// <summary>
/// Enumerates the opt_comment options of a pcapng block as UTF-8 spans, without allocating.
/// Use in a <c>foreach</c>: <c>foreach (ReadOnlySpan&lt;byte&gt; utf8 in record.Comments)</c>.
/// </summary>
public ref struct PacketCommentEnumerator
{
    private PcapNgOptionReader _options;

    internal PacketCommentEnumerator(ReadOnlySpan<byte> options, bool bigEndian) =>
        _options = new PcapNgOptionReader(options, bigEndian);

    /// <summary>The current comment, UTF-8 encoded.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly PacketCommentEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next comment.</summary>
    public bool MoveNext()
    {
        while (_options.MoveNext())
        {
            if (_options.Code == PcapNgOptionReader.Comment)
            {
                Current = _options.Value;
                return true;
            }
        }
        return false;
    }

    /// <summary>Decodes the remaining comments to strings (allocates; for the owned path).</summary>
    public IReadOnlyList<string> ToList()
    {
        List<string>? list = null;
        while (MoveNext()) (list ??= []).Add(Encoding.UTF8.GetString(Current));
        return list is null ? [] : list;
    }
}
