using System.Buffers.Binary;
using Wirecap.Formats;
using NUnit.Framework;
using static Wirecap.Tests.Formats.PcapNgBlocks;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Thousands of mutated and truncated valid files: the reader must end cleanly or raise
/// CaptureFormatException, never another exception, never hang, never allocate beyond what
/// the input justifies. Iterations per seed file: CAPTURE_FUZZ_ITERATIONS (default 4000).
/// </summary>
public class MutationFuzzTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 4000;

    private static readonly uint[] Interesting = [0, 1, 3, 4, 12, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0x0A0D0D0A, 0x1A2B3C4D];

    public static IEnumerable<TestCaseData> Seeds()
    {
        yield return new TestCaseData("pcap-us-le", Written(CaptureFormat.Pcap, new() { ByteOrder = CaptureByteOrder.LittleEndian }));
        yield return new TestCaseData("pcap-ns-be", Written(CaptureFormat.Pcap, new() { ByteOrder = CaptureByteOrder.BigEndian, Precision = TimestampPrecision.Nanosecond, SnapLength = 100 }));
        yield return new TestCaseData("pcapng-le", Written(CaptureFormat.PcapNg, new()
        {
            ByteOrder = CaptureByteOrder.LittleEndian,
            Interfaces = [new() { Name = "a", SnapLength = 120 }, new() { Name = "b", TimestampResolution = 0x80 | 16, TimestampOffset = 5 }],
            SectionComments = ["fuzz"],
        }, interfaces: 2));
        yield return new TestCaseData("pcapng-be", Written(CaptureFormat.PcapNg, new() { ByteOrder = CaptureByteOrder.BigEndian }));
        yield return new TestCaseData("pcapng-handmade", (byte[])
        [
            .. SectionHeader(), .. Custom(), .. InterfaceDescription(1, 64, [.. Option(2, "eth0"u8.ToArray()), .. Option(9, [3]), .. EndOfOptions]),
            .. NameResolution([10, 0, 0, 1], "one", "two"), .. SimplePacket(100, new byte[64]), .. DecryptionSecrets(),
            .. ObsoletePacket(0, 7, 12345, new byte[30]), .. EnhancedPacket(0, 99, new byte[20], 50, [.. Option(1, "c"u8.ToArray()), .. EndOfOptions]),
            .. SectionHeader(), .. InterfaceDescription(101, 0), .. EnhancedPacket(0, 1, new byte[9]),
        ]);
    }

    private static byte[] Written(CaptureFormat format, CaptureWriterOptions options, int interfaces = 1)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, format, new CaptureWriterOptions
        {
            LeaveOpen = true, ByteOrder = options.ByteOrder, Precision = options.Precision, SnapLength = options.SnapLength,
            Interfaces = options.Interfaces, SectionComments = options.SectionComments,
        }))
        {
            foreach (var p in SamplePackets.Make(12, interfaces, withOptions: format == CaptureFormat.PcapNg).Take(12))
                writer.Write(p);
            if (format == CaptureFormat.PcapNg)
                writer.WriteStatistics(new InterfaceStatistics { InterfaceId = 0, ReceivedByInterface = 3, StartTimeNanoseconds = 5 });
        }
        return stream.ToArray();
    }

    [TestCaseSource(nameof(Seeds))]
    public void Mutated_files_end_cleanly_or_raise_the_format_exception(string name, byte[] seed)
    {
        Assert.That(Outcome(seed), Is.EqualTo("end"), "the unmutated seed must read cleanly");
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 12345);
        int errors = 0;
        var work = Task.Run(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                var mutant = Mutate(seed, random);
                string outcome;
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    outcome = i % 8 == 0 ? OutcomeAsync(mutant, i) : Outcome(mutant);
                }
                catch (Exception e)
                {
                    Assert.Fail($"{name} iteration {i}: {e.GetType().Name}: {e.Message}\nmutant: {Convert.ToHexString(mutant)}");
                    return;
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.That(allocated, Is.LessThan(2_000_000 + 64L * mutant.Length), $"{name} iteration {i} allocated {allocated} bytes");
                if (outcome != "end") errors++;
            }
        });
        Assert.That(work.Wait(TimeSpan.FromSeconds(60)), Is.True, "fuzzing did not finish: a reader hangs");
        work.GetAwaiter().GetResult();
        Assert.That(errors, Is.GreaterThan(Iterations / 10), "the mutations should break many files");
    }

    /// <summary>"end" after a clean end, "error" after CaptureFormatException; anything else escapes.</summary>
    private static string Outcome(byte[] file)
    {
        try
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), new CaptureReaderOptions { BufferSize = 256 });
            long sum = 0;
            while (reader.Read())
            {
                var r = reader.Current;
                sum += r.Data.Length + r.OriginalLength + r.Hash.Length;
                foreach (var comment in r.Comments) sum += comment.Length;
            }
            return sum >= 0 ? "end" : "negative";
        }
        catch (CaptureFormatException e)
        {
            Assert.That(e.Offset, Is.InRange(0, file.Length));
            return "error";
        }
    }

    private static string OutcomeAsync(byte[] file, int seed)
    {
        try
        {
            return Run().GetAwaiter().GetResult();
        }
        catch (CaptureFormatException e)
        {
            Assert.That(e.Offset, Is.InRange(0, file.Length));
            return "error";
        }

        async Task<string> Run()
        {
            await using var reader = await CaptureReader.OpenAsync(new TrickleStream(file, seed, 64), new CaptureReaderOptions { BufferSize = 64 });
            await foreach (var packet in reader.ReadAllAsync()) _ = packet.Data.Length;
            return "end";
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2:
                    if (at + 4 <= bytes.Count)
                    {
                        var word = new byte[4];
                        var value = Interesting[random.Next(Interesting.Length)];
                        if (random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(word, value);
                        else BinaryPrimitives.WriteUInt32BigEndian(word, value);
                        for (int k = 0; k < 4; k++) bytes[at + k] = word[k];
                    }
                    break;
                case 3: bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at)); break;
                case 4: bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 9))); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;   // truncation
            }
        }
        return [.. bytes];
    }
}
