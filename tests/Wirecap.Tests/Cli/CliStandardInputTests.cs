using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Tests.Formats;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Cli;

/// <summary>
/// <c>-r -</c> reads standard input through the reader's pipe: a capture of several of its 1 MiB
/// segments (records cut between two of them) copies, filters and prints exactly as the same file does.
/// </summary>
public class CliStandardInputTests : TempDirectoryFixture
{
    private string _path = "";
    private byte[] _bytes = [];

    [SetUp]
    public void WriteCapture()
    {
        _path = Path.Combine(TempDir, "in.pcapng");
        using (var writer = CaptureWriter.Create(_path, CaptureFormat.PcapNg, new CaptureWriterOptions { Precision = TimestampPrecision.Nanosecond }))
            foreach (var p in SamplePackets.Make(14_000, withOptions: true)) writer.Write(p);
        _bytes = File.ReadAllBytes(_path);
        Assert.That(_bytes.Length, Is.GreaterThan(3 << 20), "the capture spans several pipe segments");
    }

    [Test]
    public void Copying_standard_input_with_a_filter_writes_what_copying_the_file_writes()
    {
        string[] Copy(string source) => ["-r", source, "-w", "-", "ip[8] > 127 or ether[len - 1] & 1 = 1"];
        var fromFile = CliRunner.Run(Copy(_path));
        var fromStdin = CliRunner.Run(Copy("-"), _bytes);
        Assert.That(fromFile.ExitCode, Is.Zero, fromFile.StdErr);
        Assert.That(fromStdin.ExitCode, Is.Zero, fromStdin.StdErr);
        Assert.That(fromStdin.StdOutBytes, Is.EqualTo(fromFile.StdOutBytes));
        using var kept = CaptureReader.Open(new MemoryStream(fromStdin.StdOutBytes));
        int count = 0;
        while (kept.Read()) count++;
        Assert.That(count, Is.InRange(1000, 13_000), "the filter keeps some packets and drops others");
    }

    [Test]
    public void Printing_standard_input_prints_what_printing_the_file_prints()
    {
        var fromFile = CliRunner.Run(["-n", "-r", _path]);
        var fromStdin = CliRunner.Run(["-n", "-r", "-"], _bytes);
        Assert.That(fromStdin.ExitCode, Is.Zero, fromStdin.StdErr);
        Assert.That(fromStdin.StdOut, Is.EqualTo(fromFile.StdOut));
        Assert.That(fromStdin.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(14_000));
    }
}
