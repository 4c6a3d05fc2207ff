using System.Net;
using NUnit.Framework;
using Wirecap.Filter;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Every broadcast and multicast form against Debian's libpcap (what <c>tcpdump -d</c> compiles here), on every link
/// type we compile for and with several netmasks: where libpcap refuses, we refuse; where it compiles, our program
/// (optimized and not) keeps the same packets of a corpus holding multicast, class E, limited and directed
/// broadcast addresses, and is no longer than libpcap's.
/// </summary>
[TestFixture]
public class CastOracleTests
{
    private static readonly int[] LinkTypes = [1, 113, 276, 12, 228, 229, 0, 108];

    private static readonly string[] Expressions =
    [
        "multicast", "broadcast", "ether multicast", "ether broadcast", "link multicast", "link broadcast",
        "ip multicast", "ip6 multicast", "ip broadcast", "ip6 broadcast", "not ip multicast", "ip multicast or ip broadcast",
    ];

    private static readonly uint?[] Netmasks = [null, 0, 0xffffff00, 0xfffffffc, 0xffff0000, 0xff000000];

    private static readonly string[] Addresses =
    [
        "223.255.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1", "254.1.2.3", "10.1.2.255", "10.1.2.0", "10.1.2.3",
        "10.1.255.255", "10.255.255.255", "10.1.2.252", "10.1.2.254", "ff02::1", "fe80::1", "2001:db8::ff",
    ];

    [Test]
    public void Every_cast_form_means_what_libpcap_compiles()
    {
        using var oracle = PcapOracle.Start();
        var mismatches = new List<string>();
        int compared = 0, refused = 0;
        foreach (var dlt in LinkTypes)
        {
            var harvest = new PacketCorpus.Harvest();
            foreach (var a in Addresses)
                harvest.AddAddress(IPAddress.Parse(a));
            var corpus = PacketCorpus.For(dlt, harvest);
            oracle.SetCorpus(corpus);
            foreach (var expression in Expressions)
            {
                foreach (var netmask in Netmasks)
                {
                    var options = new FilterOptions { Netmask = netmask is { } m ? new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(m)) : null };
                    var label = $"DLT {dlt} '{expression}' netmask {(netmask is { } n ? n.ToString("x8") : "unknown")}";
                    foreach (var optimize in new[] { true, false })
                    {
                        var (reference, error) = oracle.Compile(dlt, options.Snaplen, netmask, optimize, expression);
                        Wirecap.Bpf.BpfInstruction[]? ours = null;
                        string? ourError = null;
                        try
                        {
                            ours = FilterCompiler.CompileInstructions(expression, dlt, options with { Optimize = optimize });
                        }
                        catch (FilterException e)
                        {
                            ourError = e.Message;
                        }
                        if (reference is null || ours is null)
                        {
                            if ((reference is null) != (ours is null))
                                mismatches.Add($"{label} opt={optimize}: libpcap {error ?? "compiles"}, ours {ourError ?? "compiles"}");
                            else
                                refused++;
                            continue;
                        }
                        compared++;
                        oracle.Compile(dlt, options.Snaplen, netmask, optimize, expression);
                        oracle.Load(ours);
                        var (expected, actual) = oracle.RunAll();
                        var differing = Enumerable.Range(0, corpus.Count).Where(i => expected[i] != actual[i]).ToList();
                        if (differing.Count > 0)
                            mismatches.Add($"{label} opt={optimize}: {differing.Count} packets differ, e.g. " +
                                string.Join("; ", differing.Take(3).Select(i => $"[{corpus[i].Label}] libpcap {expected[i]} ours {actual[i]}")));
                        if (optimize && ours.Length > reference.Length)
                            mismatches.Add($"{label}: {ours.Length} instructions, libpcap {reference.Length}");
                    }
                }
            }
        }
        TestContext.Out.WriteLine($"{compared} programs compared, {refused} refused by both");
        foreach (var m in mismatches)
            TestContext.Out.WriteLine(m);
        Assert.That(compared, Is.GreaterThan(300));
        Assert.That(mismatches, Is.Empty);
    }
}
