using System.Diagnostics;
using System.IO.Pipes;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>Readers work on pipes and other streams that cannot seek; writers on streams that cannot seek either.</summary>
public class NonSeekableInputTests
{
    private static byte[] File(CaptureFormat format, int packets)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, format, new CaptureWriterOptions { LeaveOpen = true, Precision = TimestampPrecision.Nanosecond }))
            foreach (var p in SamplePackets.Make(packets)) writer.Write(p);
        return stream.ToArray();
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Reads_from_a_process_pipe(CaptureFormat format)
    {
        Tool.Require("cat");
        using var files = new TestFiles();
        var path = files["in.cap"];
        var bytes = File(format, 3000);
        System.IO.File.WriteAllBytes(path, bytes);
        using var cat = Process.Start(new ProcessStartInfo("cat", $"\"{path}\"") { RedirectStandardOutput = true })!;
        using var reader = CaptureReader.Open(cat.StandardOutput.BaseStream, new CaptureReaderOptions { BufferSize = 8192 });
        Assert.That(cat.StandardOutput.BaseStream.CanSeek, Is.False);
        int count = 0;
        while (reader.Read()) count++;
        Assert.That(count, Is.EqualTo(3000));
        Assert.That(reader.Position, Is.EqualTo(bytes.Length));
        cat.WaitForExit();
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public async Task Reads_asynchronously_from_an_anonymous_pipe_fed_slowly(CaptureFormat format)
    {
        var bytes = File(format, 50);
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var feeder = Task.Run(async () =>
        {
            for (int i = 0; i < bytes.Length; i += 97)
            {
                await server.WriteAsync(bytes.AsMemory(i, Math.Min(97, bytes.Length - i)));
                if (i % 970 == 0) await Task.Delay(1);
            }
            server.Close();
        });
        await using var reader = await CaptureReader.OpenAsync(client, new CaptureReaderOptions { BufferSize = 128 });
        var expected = SamplePackets.Make(50);
        int i = 0;
        await foreach (var packet in reader.ReadAllAsync())
        {
            Assert.That(packet.Data.ToArray(), Is.EqualTo(expected[i].Data.ToArray()));
            Assert.That(packet.TimestampNanoseconds, Is.EqualTo(expected[i].TimestampNanoseconds));
            i++;
        }
        Assert.That(i, Is.EqualTo(50));
        await feeder;
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Writes_to_a_pipe_read_by_tcpdump_on_stdin(CaptureFormat format)
    {
        Tool.Require("tcpdump");
        var psi = new ProcessStartInfo("tcpdump", "-nn -r -") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var tcpdump = Process.Start(psi)!;
        var output = tcpdump.StandardOutput.ReadToEndAsync();
        var error = tcpdump.StandardError.ReadToEndAsync();
        using (var writer = CaptureWriter.Create(tcpdump.StandardInput.BaseStream, format))
            foreach (var p in SamplePackets.Make(25)) writer.Write(p);
        Assert.That(tcpdump.WaitForExit(30_000), Is.True);
        Assert.That(tcpdump.ExitCode, Is.Zero, error.Result);
        Assert.That(output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(25));
    }
}
