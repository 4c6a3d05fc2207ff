using System.Globalization;
using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;
using Wirecap;
using Wirecap.Filter;
using Wirecap.Formats;

// SharpPcapCompare FILE PASSES EXPRESSION: the same job in this process through Wirecap (CaptureReader + PacketFilter)
// and through SharpPcap 6.3.1 (CaptureFileReaderDevice with the filter set, so libpcap's pcap_offline_read runs it):
// read FILE by path, keep what EXPRESSION keeps, count it and touch its bytes. Passes alternate between the two after
// three warm-up passes each; prints the median thread CPU ms per pass of each, their ratio, and what each kept (the
// counts must agree, or the comparison is void and the program fails).
string path = args[0];
int passes = int.Parse(args[1], CultureInfo.InvariantCulture);
string expression = args[2];
var ours = new List<double>();
var theirs = new List<double>();
long keptOurs = 0, keptTheirs = 0;
for (int i = 0; i < passes + 3; i++)
{
    var (cpu, kept) = Timed(() => Wirecap(path, expression));
    if (i >= 3) ours.Add(cpu);
    keptOurs = kept;
    (cpu, kept) = Timed(() => SharpPcapRead(path, expression));
    if (i >= 3) theirs.Add(cpu);
    keptTheirs = kept;
}
if (keptOurs != keptTheirs) throw new InvalidOperationException($"Wirecap kept {keptOurs} packets, SharpPcap {keptTheirs}");
double a = Median(ours), b = Median(theirs);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wirecap {a:F2} ms  sharppcap {b:F2} ms  ratio {a / b:F3}  kept {keptOurs}"));
return 0;

static long Wirecap(string path, string expression)
{
    using var reader = CaptureReader.Open(path);
    PacketFilter? filter = null;
    long kept = 0, bytes = 0;
    while (reader.Read())
    {
        var record = reader.Current;
        filter ??= PacketFilter.Create(expression, record.LinkType);
        if (filter.Run(record.Data, record.OriginalLength) == 0) continue;
        kept++;
        bytes += record.Data[^1];
    }
    Volatile.Write(ref Sink.Bytes, bytes);
    return kept;
}

static long SharpPcapRead(string path, string expression)
{
    using var device = new CaptureFileReaderDevice(path);
    device.Open();
    device.Filter = expression;
    long kept = 0, bytes = 0;
    while (device.GetNextPacket(out PacketCapture packet) == GetPacketStatus.PacketRead)
    {
        kept++;
        bytes += packet.Data[^1];
    }
    Volatile.Write(ref Sink.Bytes, bytes);
    return kept;
}

static (double CpuMs, long Kept) Timed(Func<long> job)
{
    long start = ThreadCpuNanoseconds();
    long kept = job();
    return ((ThreadCpuNanoseconds() - start) / 1e6, kept);
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static long ThreadCpuNanoseconds()
{
    const int ClockThreadCpuTime = 3;
    if (clock_gettime(ClockThreadCpuTime, out var now) != 0) throw new InvalidOperationException("clock_gettime failed");
    return now.Seconds * 1_000_000_000 + now.Nanoseconds;
}

[DllImport("libc", SetLastError = true)]
static extern int clock_gettime(int clock, out Timespec time);

[StructLayout(LayoutKind.Sequential)]
struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}

/// <summary>Where each job leaves the sum of the bytes it touched, so the reads are not optimized away.</summary>
static class Sink
{
    public static long Bytes;
}
