using Wirecap.Bpf;
using Wirecap.Filter;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Equal meaning, not equal listing: each accept case's expected libpcap 1.11 listing, assembled
/// with <see cref="BpfAssembler"/>, and our program for the same expression (same optimizer
/// switch) give the same verdict on every whole packet of the generated corpus. This covers the
/// cases with test host names, which the live oracle cannot resolve.
/// </summary>
[TestFixture]
public class ListingEquivalenceTests
{
    [Test]
    public void Our_programs_mean_what_libpcap_1_11_listings_mean()
    {
        var report = new List<string>();
        var mismatches = new List<string>();
        foreach (var group in LibpcapCases.Cases.Where(c => c.Kind == "accept" && c.Applicable && c.Expected is not null)
                     .NonEmpty("accept cases with a listing").GroupBy(c => c.Dlt))
        {
            var harvest = new PacketCorpus.Harvest();
            foreach (var c in group)
                harvest.Add(c.Expression);
            foreach (var address in new[] { "10.20.30.40", "192.168.243.1", "192.168.242.4", "192.168.244.2", "192.168.241.3",
                         "fd00:a1b2:c3d4::1020:3040:5060:7080", "fd00:a1b2:c3d4::a0b0:c0d0:e0f0:1278", "fd00:a1b2:c3d4::a0b0:c0d0:e0f0:3456" })
                harvest.AddAddress(System.Net.IPAddress.Parse(address));
            var corpus = PacketCorpus.For(group.Key, harvest);
            var whole = corpus.Where(p => p.Data.Length == p.WireLength).ToList();
            int equal = 0, truncatedOnly = 0, skipped = 0;
            foreach (var c in group)
            {
                // We follow Debian's 1.10.3 (tcpdump -d here), which takes 224.0.0.0 and above; 1.11 tests the high nibble.
                if (c.Expression.Contains("ip multicast", StringComparison.Ordinal))
                {
                    skipped++;
                    continue;
                }
                var reference = BpfProgram.Create(BpfAssembler.Parse(c.Expected!), BpfDialect.Libpcap);
                var ours = FilterCompiler.Compile(c.Expression, c.Dlt, c.Options);
                var expected = FilterSemanticsTests.Verdicts(reference, corpus);
                var actual = FilterSemanticsTests.Verdicts(ours, corpus);
                var differing = Enumerable.Range(0, corpus.Count).Where(i => expected[i] != actual[i]).ToList();
                if (differing.Count == 0)
                    equal++;
                else if (differing.All(i => corpus[i].Data.Length < corpus[i].WireLength))
                    truncatedOnly++;
                else
                    mismatches.Add($"{c}: {differing.Count} packets differ, e.g. " + string.Join("; ",
                        differing.Take(3).Select(i => $"[{corpus[i].Label}] listing {expected[i]} ours {actual[i]}")));
            }
            report.Add($"DLT {group.Key}: {group.Count()} cases, {equal} equal on all {corpus.Count} packets, " +
                $"{truncatedOnly} equal on the {whole.Count} whole packets but not on some truncated ones, {skipped} 'ip multicast' (1.10.3's meaning)");
        }
        foreach (var line in report)
            TestContext.Out.WriteLine(line);
        foreach (var line in mismatches)
            TestContext.Out.WriteLine(line);
        Assert.That(mismatches, Is.Empty);
    }
}
