namespace Wirecap.Formats;

/// <summary>
/// Enumerates the values of one pcapng option code in a packet block, without allocating:
/// <c>foreach (ReadOnlySpan&lt;byte&gt; verdict in record.Verdicts)</c>.
/// </summary>
public ref struct PacketOptionValues
{
    private PcapNgOptionReader _options;
    private readonly ushort _code;

    internal PacketOptionValues(ReadOnlySpan<byte> options, bool bigEndian, ushort code)
    {
        _options = new PcapNgOptionReader(options, bigEndian);
        _code = code;
    }

    /// <summary>The current value, without its padding.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly PacketOptionValues GetEnumerator() => this;

    /// <summary>Advances to the next value.</summary>
    public bool MoveNext()
    {
        while (_options.MoveNext())
        {
            if (_options.Code == _code)
            {
                Current = _options.Value;
                return true;
            }
        }
        return false;
    }
}
