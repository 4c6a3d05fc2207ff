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

    [TestCase("udp port 53", null)]
    [TestCase("len > 1000 or icmp", null)]
    [TestCase(null, "(000) ret      #60\n")]
    public void Records_filtered_over_their_bytes_get_the_decision_and_length_of_the_built_record(string? expression, string? program)
    {
        string? programFile = null;
        if (program is not null)
        {
            programFile = Path.Combine(Path.GetTempPath(), $"wirecap-cut-{Guid.NewGuid():N}.txt");
            File.WriteAllText(programFile, program);
        }
        try
        {
            var options = CliOptions.Parse(programFile is null ? [expression!] : ["--bpf-file", programFile]);
            int plain = 0, other = 0, kept = 0, cut = 0;
            foreach (var path in Captures())
            {
                // By path: records lie in one array, so most take the short path that never builds a dropped record.
                using var reader = CaptureReader.Open(path);
                CliRecordFilter filter;
                try { filter = CliRecordFilter.From(options, reader)!; }
                catch (Wirecap.Filter.FilterException) { continue; } // a link type the expression does not compile for
                var reference = programFile is null ? null : Wirecap.Filter.PacketFilter.Create(CliFilter.Program(options, reader.Interfaces[0].LinkType)!, reader.Interfaces[0].LinkType);
                while (ReadOrEnd(reader))
                {
                    var whole = reader.Current;
                    bool isPlain = reader.TryGetPlainCurrent(out _, out _, out _);
                    if (isPlain) plain++; else other++;
                    uint expected = (reference ?? Wirecap.Filter.PacketFilter.Create(expression!, whole.LinkType)).Run(whole.Data, whole.OriginalLength);
                    bool keeps = CliRecordFilter.TryKeep(filter, reader, out var record);
                    Assert.That(keeps, Is.EqualTo(expected != 0), Path.GetFileName(path));
                    if (!keeps) continue;
                    kept++;
                    int length = programFile is null ? whole.Length : (int)Math.Min(expected, (uint)whole.Length);
                    if (length < whole.Length) cut++;
                    Assert.That(record.Data.ToArray(), Is.EqualTo(whole.Data[..length].ToArray()), Path.GetFileName(path));
                    Assert.That((record.OriginalLength, record.TimestampNanoseconds, record.LinkType), Is.EqualTo((whole.OriginalLength, whole.TimestampNanoseconds, whole.LinkType)));
                }
            }
            Assert.That(plain, Is.GreaterThan(0), $"records must take the short path ({other} did not)");
            Assert.That(kept, Is.GreaterThan(0), "some records must be kept");
            if (programFile is not null) Assert.That(cut, Is.GreaterThan(0), "the program must cut some records");
        }
        finally
        {
            if (programFile is not null) File.Delete(programFile);
        }
    }

    // Read, with a corpus file that ends in a malformed record counted as its end (the decisions before it are checked).
    private static bool ReadOrEnd(CaptureReader reader)
    {
        try { return reader.Read(); }
        catch (CaptureFormatException) { return false; }
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
                decisions.Add(CliRecordFilter.TryKeep(filter, reader, out _) ? "keep" : "drop");
            }
        }
        catch (Exception e) when (e is CaptureFormatException or Wirecap.Filter.FilterException)
        {
            decisions.Add(e.GetType().Name + ": " + e.Message);
        }
        return decisions;
    }
}
