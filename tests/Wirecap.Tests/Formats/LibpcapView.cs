using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Formats;

/// <summary>What libpcap (pcap_next_ex, nanosecond precision) reports for a file.</summary>
public sealed record LibpcapView(int Dlt, int SnapLength, List<PeerFrame> Frames, int ExitCode, string Error)
{
    public static LibpcapView Read(string path)
    {
        var (code, stdout, stderr) = Tool.Run(NativeShim.Path("pcap_frames"), $"\"{path}\"");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int dlt = -1, snap = -1;
        var frames = new List<PeerFrame>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts[0] == "linktype")
            {
                dlt = int.Parse(parts[1]);
                snap = int.Parse(parts[3]);
                continue;
            }
            frames.Add(new PeerFrame(parts[0], int.Parse(parts[2]), int.Parse(parts[1]), 0, parts.Length > 3 ? parts[3] : "", ""));
        }
        return new LibpcapView(dlt, snap, frames, code, stderr.Trim());
    }
}
