using System.IO.Compression;
using System.Text.Json;
using Wirecap.Filter;

namespace Wirecap.Tests.Filter;

/// <summary>One case of libpcap's filter test suite (see TestData/Filter/extract.py).</summary>
internal sealed record LibpcapCase(
    string Kind, string Name, string? LinkType, int Dlt, string Expression, bool Optimize, string? Expected,
    string? Error, uint[]? Results, uint Snaplen, uint? Netmask, bool LinuxExtensions, bool OfflineFilter,
    string? Skip, string? Savefile, bool Special, bool OptimizerRejects, string? Debian)
{
    /// <summary>TESTrun would not run it on Linux for a reason other than missing name entries.</summary>
    public bool SkippedOnLinux => Skip is not null && !Skip.Contains("configure the", StringComparison.Ordinal);

    /// <summary>Needs private libpcap flags the public API cannot express.</summary>
    public bool NeedsPrivateFlags => LinuxExtensions || OfflineFilter || Special;

    public bool Applicable => !SkippedOnLinux && !NeedsPrivateFlags;

    public FilterOptions Options => new()
    {
        Snaplen = Snaplen,
        Netmask = Netmask is { } m ? new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(m)) : null,
        Optimize = Optimize,
        Resolver = TestNames.Resolver,
    };

    public override string ToString() => $"{Name} [{LinkType}] {Expression}";
}

internal static class LibpcapCases
{
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "TestData", "Filter");

    private static readonly Lazy<IReadOnlyList<LibpcapCase>> All = new(Load);

    public static IReadOnlyList<LibpcapCase> Cases => All.Value;

    private static IReadOnlyList<LibpcapCase> Load()
    {
        using var file = File.OpenRead(Path.Combine(DataDirectory, "libpcap-cases.jsonl.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var list = new List<LibpcapCase>();
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            string? S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            bool B(string name) => e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.False or JsonValueKind.Null);
            uint? U(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetUInt32() : null;
            uint? Mask() => S("netmask") is { } text ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(text).GetAddressBytes()) : null;
            list.Add(new LibpcapCase(
                S("kind")!, S("name")!, S("linktype"), (int)(U("dlt") ?? 0), S("expr") ?? "", B("opt"), S("expected"),
                S("error"), e.TryGetProperty("results", out var r) ? r.EnumerateArray().Select(x => x.GetUInt32()).ToArray() : null,
                U("snaplen") ?? 262144, Mask(), B("linuxext"), B("offline_filter"), S("skip"), S("savefile"),
                e.TryGetProperty("special", out _), B("optimizer_rejects"), S("debian")));
        }
        return list.NonEmpty("cases in libpcap-cases.jsonl.gz");
    }
}

/// <summary>The name tables the suite's "libpcap.test" cases expect, from TestData/Filter.</summary>
internal static class TestNames
{
    private static readonly Lazy<NameTables> Tables = new(() => new NameTables()
        .AddHosts(Read("hosts.txt"))
        .AddEthers(Read("ethers.txt"))
        .AddNetworks(Read("networks.txt"))
        .AddServices(Read("services.txt"))
        .AddProtocols(Read("protocols.txt")));

    public static IFilterNameResolver Resolver => Tables.Value;

    private static string Read(string name) => File.ReadAllText(Path.Combine(LibpcapCases.DataDirectory, name));
}
