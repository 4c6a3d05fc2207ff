namespace Wirecap.Tests.Formats;

/// <summary>Scratch files for one test, removed on dispose.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "capture-formats-" + Guid.NewGuid().ToString("N"));

    public string this[string name] => Path.Combine(Root, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The libpcap test captures shipped with the project, if present.</summary>
    public const string LibpcapTests = "/work/shared/libpcap-tests/pcap";
}
