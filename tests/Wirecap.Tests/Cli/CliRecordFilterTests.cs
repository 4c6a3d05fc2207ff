using Wirecap.Cli;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>
/// Records that straddle two pipe segments (standard input, small buffers) are filtered in place, and
/// every record gets the decision it gets when read whole.
/// </summary>
public class CliRecordFilterTests
{
    private static IEnumerable<string> Captures() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "tests", "Wirecap.Tests", "TestData", "tcpdump-printer"))
            .Where(path => new FileInfo(path).Length > 8192).Order();

    [TestCase("udp port 53")]
    [TestCase("len > 1000 or icmp")]
    [TestCase("ip6 or arp")]
    public void Split_records_get_the_same_decision_as_whole_ones(string expression)
    {
        var options = CliOptions.Parse([expression]);
        int kept = 0, dropped = 0, split = 0;
        foreach (var path in Captures())
        {
            var file = File.ReadAllBytes(path);
            var whole = Decisions(CaptureReader.Open(new MemoryStream(file)), options, out _);
            var parts = Decisions(CaptureReader.Open(new MemoryStream(file), new CaptureReaderOptions { BufferSize = 4096 }), options, out int splitHere);
            Assert.That(parts, Is.EqualTo(whole), Path.GetFileName(path));
            kept += whole.Count(d => d == "keep");
            dropped += whole.Count(d => d == "drop");
            split += splitHere;
        }
        Assert.That(kept, Is.GreaterThan(0), "the expression must keep some records");
        Assert.That(dropped, Is.GreaterThan(0), "and drop others");
        Assert.That(split, Is.GreaterThan(0), "some records must straddle two segments");
    }

    // One decision per record ("keep"/"drop"), then how reading or compiling ended if it did not end cleanly.
    private static List<string> Decisions(CaptureReader opened, CliOptions options, out int multiSegment)
    {
        using var reader = opened;
        var decisions = new List<string>();
        multiSegment = 0;
        try
        {
            var filter = CliRecordFilter.From(options, reader)!;
            while (reader.Read())
            {
                var record = reader.Current;
                if (record.IsMultiSegment) multiSegment++;
                decisions.Add(filter.TryKeep(record, out _) ? "keep" : "drop");
            }
        }
        catch (Exception e) when (e is CaptureFormatException or Wirecap.Filter.FilterException)
        {
            decisions.Add(e.GetType().Name + ": " + e.Message);
        }
        return decisions;
    }
}
