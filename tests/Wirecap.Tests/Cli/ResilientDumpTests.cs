using System.Diagnostics;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>The crash-safe dump: <c>wirecap -r - -w out.pcap -U</c> in a child process, fed through a
/// pipe, killed with SIGKILL; tcpdump then reads every packet flushed before the kill.</summary>
[TestFixture]
public sealed class ResilientDumpTests
{
    [Test]
    public void SigkillLeavesEveryFlushedPacketReadable()
    {
        Tool.Require("tcpdump");
        const int count = 200, size = 120;
        string dir = Path.Combine(Path.GetTempPath(), "capture-resilient-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string output = Path.Combine(dir, "out.pcap");
        string cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "Wirecap.Cli.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{cli}\" -r - -w \"{output}\" -U")
        {
            RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        try
        {
            // A pcap stream written packet by packet into the pipe, which stays open: the writer is
            // mid-capture when it dies.
            var input = process.StandardInput.BaseStream;
            using var writer = CaptureWriter.Create(input, CaptureFormat.Pcap, new CaptureWriterOptions());
            var frame = new byte[size];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(frame.AsSpan(14), i);
                writer.Write(new PacketRecord(frame, 1_700_000_000_000_000_000L + i * 1_000_000L, size, LinkType.Ethernet, 0));
                writer.Flush();
            }
            long complete = 24 + count * (16L + size);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((File.Exists(output) ? new FileInfo(output).Length : 0) < complete && DateTime.UtcNow < deadline && !process.HasExited)
                Thread.Sleep(20);
            Assert.That(process.HasExited, Is.False, "the writer stopped on its own");
            Assert.That(new FileInfo(output).Length, Is.EqualTo(complete), "-U flushed every packet while the input stayed open");

            process.Kill(); // SIGKILL: no flush, no dispose
            process.WaitForExit();

            var tcpdump = Tool.Run("tcpdump", $"-n -r {output}");
            Assert.That(tcpdump.ExitCode, Is.Zero, tcpdump.StdErr);
            Assert.That(tcpdump.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(count));
            Assert.That(tcpdump.StdErr, Does.Not.Contain("truncated"));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            Directory.Delete(dir, recursive: true);
        }
    }
}
