using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Wirecap.Bpf;
using Wirecap.Filter;

namespace Wirecap.Bench.Filter;

/// <summary>
/// `dotnet run -c Release --project bench/Wirecap.Bench -- --filter-report`: for libpcap's filter
/// test suite on our link types, the length of our optimized programs against libpcap 1.11's
/// (the suite's expected listings), our compile time, and the per-packet cost of our programs
/// against Debian libpcap's programs for the same expressions, both run by BpfInterpreter.
/// </summary>
public static class FilterCompilerReport
{
    private static readonly string[] TimedExpressions =
    [
        "tcp port 80", "udp and dst port 53", "ip and not net 10.0.0.0/8", "host 192.168.1.1",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "portrange 1000-2000 or icmp6",
        "(tcp or udp) and (port 53 or port 123 or port 443 or port 8443) and not src host 10.1.2.3 and greater 60 and less 1400",
    ];

    public static void Run(string root)
    {
        var cases = LoadCases(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", "libpcap-cases.jsonl.gz"));
        var names = new NameTables()
            .AddHosts(File.ReadAllText(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", "hosts.txt")))
            .AddEthers(File.ReadAllText(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", "ethers.txt")))
            .AddNetworks(File.ReadAllText(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", "networks.txt")));
        Lengths(cases, names);
        CompileTime(cases, names);
        PerPacket(Path.Combine(root, "native-shims", "bin", "pcap_oracle"));
    }

    private sealed record Case(string LinkType, int Dlt, string Expression, string Listing, uint Snaplen, uint? Netmask);

    private static List<Case> LoadCases(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var list = new List<Case>();
        while (reader.ReadLine() is { } line)
        {
            var e = JsonDocument.Parse(line).RootElement;
            bool Has(string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.False;
            if (e.GetProperty("kind").GetString() != "accept" || !Has("opt") || !Has("expected") || Has("linuxext")
                || Has("offline_filter") || Has("special"))
                continue;
            if (e.TryGetProperty("skip", out var skip) && !skip.GetString()!.Contains("configure the", StringComparison.Ordinal))
                continue;
            uint? mask = e.TryGetProperty("netmask", out var m)
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(m.GetString()!).GetAddressBytes())
                : null;
            list.Add(new Case(e.GetProperty("linktype").GetString()!, e.TryGetProperty("dlt", out var d) ? d.GetInt32() : 0, e.TryGetProperty("expr", out var x) ? x.GetString()! : "",
                e.GetProperty("expected").GetString()!, e.TryGetProperty("snaplen", out var s) ? s.GetUInt32() : 262144, mask));
        }
        return list.DistinctBy(c => (c.Dlt, c.Expression)).ToList();
    }

    private static FilterOptions Options(Case c, IFilterNameResolver names) => new()
    {
        Snaplen = c.Snaplen,
        Netmask = c.Netmask is { } m ? new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(m)) : null,
        Resolver = names,
    };

    private static void Lengths(List<Case> cases, IFilterNameResolver names)
    {
        Console.WriteLine("## Program length against libpcap 1.11 (the suite's optimized listings)");
        Console.WriteLine();
        Console.WriteLine("| link type | expressions | shorter | equal | longer | no longer than libpcap |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        int ts = 0, te = 0, tl = 0;
        var longerOnes = new List<string>();
        foreach (var group in cases.GroupBy(c => c.LinkType).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int shorter = 0, equal = 0, longer = 0;
            foreach (var c in group)
            {
                var theirs = c.Listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                int ours;
                try
                {
                    ours = FilterCompiler.CompileInstructions(c.Expression, c.Dlt, Options(c, names)).Length;
                }
                catch (FilterException)
                {
                    continue;
                }
                if (ours < theirs) shorter++;
                else if (ours == theirs) equal++;
                else
                {
                    longer++;
                    longerOnes.Add($"{c.LinkType} `{c.Expression}`: {ours} vs {theirs}");
                }
            }
            ts += shorter; te += equal; tl += longer;
            var total = shorter + equal + longer;
            Console.WriteLine($"| {group.Key} | {total} | {shorter} | {equal} | {longer} | {100.0 * (shorter + equal) / total:F1}% |");
        }
        Console.WriteLine($"| all | {ts + te + tl} | {ts} | {te} | {tl} | {100.0 * (ts + te) / (ts + te + tl):F1}% |");
        Console.WriteLine();
        Console.WriteLine("Longer than libpcap's (ours vs theirs):");
        foreach (var line in longerOnes)
            Console.WriteLine($"- {line}");
        Console.WriteLine();
    }

    private static void CompileTime(List<Case> cases, IFilterNameResolver names)
    {
        var best = double.MaxValue;
        for (var round = 0; round < 6; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var c in cases)
            {
                try
                {
                    FilterCompiler.CompileInstructions(c.Expression, c.Dlt, Options(c, names));
                }
                catch (FilterException)
                {
                }
            }
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / cases.Count);
        }
        Console.WriteLine($"Compile time (parse, generate, optimize, lay out), mean over the {cases.Count} expressions, best of 5 rounds: {best:F1} µs per expression");
        Console.WriteLine();
    }

    private static void PerPacket(string oracle)
    {
        if (!File.Exists(oracle))
        {
            Console.WriteLine($"(per-packet comparison skipped: {oracle} not built; run ./build.sh test first)");
            return;
        }
        var frames = Wirecap.Bench.Bpf.BpfPacketMix.Frames();
        Console.WriteLine($"## Filter cost per packet, {frames.Length} mixed Ethernet frames, both programs run by BpfInterpreter (best of 7)");
        Console.WriteLine();
        Console.WriteLine("| expression | ours: instructions | ns/packet | libpcap 1.10.3: instructions | ns/packet | kept (both) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        using var process = Process.Start(new ProcessStartInfo(oracle) { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        foreach (var expression in TimedExpressions)
        {
            var ours = FilterCompiler.Compile(expression, 1);
            process.StandardInput.Write($"compile 1 262144 - 1 {expression}\n");
            process.StandardInput.Flush();
            var header = process.StandardOutput.ReadLine()!;
            var count = int.Parse(header[3..], CultureInfo.InvariantCulture);
            var instructions = new BpfInstruction[count];
            for (var i = 0; i < count; i++)
            {
                var f = process.StandardOutput.ReadLine()!.Split(' ').Select(x => uint.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                instructions[i] = new BpfInstruction((ushort)f[0], (byte)f[1], (byte)f[2], f[3]);
            }
            var theirs = BpfProgram.Create(instructions, BpfDialect.Libpcap);
            var (oursNs, oursKept) = Time(ours, frames);
            var (theirNs, theirKept) = Time(theirs, frames);
            var kept = oursKept == theirKept ? oursKept.ToString(CultureInfo.InvariantCulture) : $"{oursKept} vs {theirKept}";
            Console.WriteLine($"| `{expression}` | {ours.Length} | {oursNs:F1} | {theirs.Length} | {theirNs:F1} | {kept} |");
        }
        process.StandardInput.Close();
        process.WaitForExit();
        Console.WriteLine();
    }

    private static (double Nanoseconds, int Kept) Time(BpfProgram program, byte[][] frames)
    {
        var kept = 0;
        for (var warm = 0; warm < 50; warm++)
        {
            kept = 0;
            foreach (var f in frames)
                kept += BpfInterpreter.Run(program, f, new BpfContext { WireLength = (uint)f.Length }) != 0 ? 1 : 0;
        }
        var best = double.MaxValue;
        const int Rounds = 200;
        for (var attempt = 0; attempt < 7; attempt++)
        {
            var watch = Stopwatch.StartNew();
            uint sink = 0;
            for (var r = 0; r < Rounds; r++)
            {
                foreach (var f in frames)
                    sink += BpfInterpreter.Run(program, f, new BpfContext { WireLength = (uint)f.Length });
            }
            GC.KeepAlive(sink);
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / (Rounds * frames.Length));
        }
        return (best, kept);
    }
}
