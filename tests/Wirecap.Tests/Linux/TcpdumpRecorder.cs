using System.Buffers.Binary;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux;

/// <summary>Runs tcpdump inside a test namespace, writing a pcap file, as the oracle a capture is compared with.</summary>
internal sealed class TcpdumpRecorder : IDisposable
{
    private readonly ReadyProcess _process;
    public string File { get; }

    public TcpdumpRecorder(string netns, string device, string arguments = "")
    {
        Tool.Require("tcpdump");
        File = Path.Combine(Path.GetTempPath(), $"capture-live-{Guid.NewGuid():N}.pcap");
        // A large buffer: in immediate mode libpcap uses a frame-per-packet ring that a burst can overflow.
        _process = new ReadyProcess("ip", $"netns exec {netns} tcpdump -i {device} -w {File} -U --immediate-mode -B 32768 -n {arguments}", "listening on");
    }

    public string Stderr => _process.Stderr;

    /// <summary>Waits until tcpdump has written <paramref name="count"/> frames (or 5 s passed), stops it and
    /// returns the frames it wrote.</summary>
    public List<byte[]> StopAndRead(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && ReadPcap(File).Count < count) Thread.Sleep(20);
        _process.Signal(2);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        return ReadPcap(File);
    }

    /// <summary>The frames of a classic little-endian pcap file, also while it is being written.</summary>
    public static List<byte[]> ReadPcap(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var frames = new List<byte[]>();
        for (var offset = 24; offset + 16 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8));
            if (offset + 16 + length > bytes.Length) break;
            frames.Add(bytes.AsSpan(offset + 16, length).ToArray());
            offset += 16 + length;
        }
        return frames;
    }

    public void Dispose()
    {
        _process.Dispose();
        System.IO.File.Delete(File);
    }
}
