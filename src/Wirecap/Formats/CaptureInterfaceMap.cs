namespace Wirecap.Formats;

/// <summary>
/// Numbers the interfaces of every section a reader meets one after another, as a copy into one section describes
/// them: interface <c>i</c> of a section is output interface <c>b + i</c>, <c>b</c> being the number of interfaces
/// the sections before it described. It follows <see cref="CaptureReader.Blocks"/> as the reader goes.
/// </summary>
public sealed class CaptureInterfaceMap
{
    private readonly CaptureReader _reader;
    private int _seen;
    private int _sectionBase;
    private bool _sectionStarted;

    /// <summary>Starts numbering at the reader's first block.</summary>
    public CaptureInterfaceMap(CaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
    }

    /// <summary>The number of interfaces described so far, over every section.</summary>
    public int InterfaceCount { get; private set; }

    /// <summary>The output number of interface <paramref name="interfaceId"/> of the reader's current section.</summary>
    public int OutputInterface(int interfaceId)
    {
        while (MoveNext(out _)) { }
        return _sectionBase + interfaceId;
    }

    /// <summary>Takes the next block the reader has met that this map has not passed yet, numbering what it describes.</summary>
    internal bool MoveNext(out CaptureBlock block)
    {
        var blocks = _reader.Blocks;
        if (_seen >= blocks.Count)
        {
            block = null!;
            return false;
        }
        block = blocks[_seen++];
        if (block is CaptureSection)
        {
            // The first section starts at 0; each later one after every interface described before it.
            if (_sectionStarted) _sectionBase = InterfaceCount;
            _sectionStarted = true;
        }
        else if (block is CaptureInterface) InterfaceCount++;
        return true;
    }

    /// <summary>The output number of interface <paramref name="interfaceId"/> of the section of the block last taken.</summary>
    internal int AtCurrentBlock(int interfaceId) => _sectionBase + interfaceId;
}
