using System.Globalization;
using System.Runtime.InteropServices;
using Wirecap.Formats;

// ReadCpu FILE PASSES [span|async]: reads FILE by path PASSES times (after 5 warm-up passes) and prints the
// median CPU milliseconds of one pass. CPU, not wall time: on a shared machine it moves far less with the load.
// span: this thread's CPU (the read is synchronous on it). async: the whole process's, because the file's reads
// complete on pool threads and the loop continues there (this thread's CPU would show a fraction of a ms).
string path = args[0];
int passes = int.Parse(args[1], CultureInfo.InvariantCulture);
bool async = args.Length > 2 && args[2] == "async";
var times = new List<double>();
Rusage before = default;
for (int i = 0; i < passes + 5; i++)
{
    if (i == 5) before = Usage(async);
    long start = CpuNanoseconds(async);
    long bytes = async ? ReadAsync(path).GetAwaiter().GetResult() : Read(path);
    long end = CpuNanoseconds(async);
    if (bytes <= 0) throw new InvalidOperationException("read nothing");
    if (i >= 5) times.Add((end - start) / 1e6);
}
var after = Usage(async);
times.Sort();
// median CPU ms per pass, then user and system ms per pass (getrusage, averaged over the timed passes)
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{times[times.Count / 2]:F2} {(after.UserMicros - before.UserMicros) / 1e3 / passes:F2} {(after.SystemMicros - before.SystemMicros) / 1e3 / passes:F2}"));

static long Read(string path)
{
    using var reader = CaptureReader.Open(path);
    long bytes = 0;
    while (reader.Read()) bytes += reader.Current.Data.Length;
    return bytes;
}

static async Task<long> ReadAsync(string path)
{
    await using var reader = await CaptureReader.OpenAsync(path);
    long bytes = 0;
    while (await reader.ReadAsync()) bytes += Length(reader);
    return bytes;

    static int Length(CaptureReader reader) => reader.Current.Data.Length;
}

static long CpuNanoseconds(bool process)
{
    const int ClockProcessCpuTime = 2, ClockThreadCpuTime = 3;
    if (clock_gettime(process ? ClockProcessCpuTime : ClockThreadCpuTime, out var now) != 0) throw new InvalidOperationException("clock_gettime failed");
    return now.Seconds * 1_000_000_000 + now.Nanoseconds;
}

static Rusage Usage(bool process)
{
    const int RusageSelf = 0, RusageThread = 1;
    if (getrusage(process ? RusageSelf : RusageThread, out var usage) != 0) throw new InvalidOperationException("getrusage failed");
    return usage;
}

[DllImport("libc", SetLastError = true)]
static extern int clock_gettime(int clock, out Timespec time);

[DllImport("libc", SetLastError = true)]
static extern int getrusage(int who, out Rusage usage);

// struct rusage: two timevals, then 14 longs.
[StructLayout(LayoutKind.Sequential)]
unsafe struct Rusage
{
    public long UserSeconds, UserMicrosPart, SystemSeconds, SystemMicrosPart;
    public fixed long Rest[14];
    public readonly long UserMicros => UserSeconds * 1_000_000 + UserMicrosPart;
    public readonly long SystemMicros => SystemSeconds * 1_000_000 + SystemMicrosPart;
}

[StructLayout(LayoutKind.Sequential)]
struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}
