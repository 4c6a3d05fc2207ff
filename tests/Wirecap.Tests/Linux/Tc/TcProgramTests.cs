using System.Buffers.Binary;
using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Linux;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Ebpf;
using L = Wirecap.Linux.Tc.TcRecordLayout;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>The generated TC program, run by the kernel on test packets (<c>BPF_PROG_TEST_RUN</c>) without attaching it.</summary>
public class TcProgramTests
{
    [TestCase(64, 60)]
    [TestCase(64, 200)]
    [TestCase(1500, 1000)]
    [TestCase(262_144, 1400)]
    public void EveryPacketGoesOnAndItsRecordHoldsItUpToTheSnapLength(int snapLength, int packetLength)
    {
        EbpfTestSupport.RequireBpf();
        using var source = EbpfRingSource.Create(1 << 20, "wirecap_test", L.CounterCount, "wirecap_test_c");
        using var program = Load(source, snapLength, L.DirectionEgress);
        var packet = EbpfTestSupport.UdpFrame(packetLength);
        for (int i = 14; i < packet.Length; i++) packet[i] ^= (byte)i;
        long before = KernelClock.MonotonicNow;
        var result = program.TestRun(packet);
        Assert.That(unchecked((int)result.ReturnValue), Is.EqualTo(TcProgramBuilder.PassOn), "TCX_NEXT / TC_ACT_UNSPEC: the packet goes on unchanged");

        var records = new List<byte[]>();
        var consumer = new Collect(records);
        using var stop = new CancellationTokenSource(200);
        source.Read(ref consumer, 1, stop.Token, "test");
        Assert.That(records, Has.Count.EqualTo(1));
        var record = records[0];
        int kept = Math.Min(snapLength, packetLength);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(L.CaptureLength)), Is.EqualTo(kept));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(L.WireLength)), Is.EqualTo(packetLength));
        Assert.That(record.AsSpan(L.Packet, kept).ToArray(), Is.EqualTo(packet[..kept]));
        Assert.That(record.Length - L.Packet, Is.GreaterThanOrEqualTo(kept).And.LessThan(Math.Max(2 * kept, 136)), "the smallest size class that holds it");
        Assert.That(record[L.Direction], Is.EqualTo(L.DirectionEgress));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(L.Protocol)), Is.EqualTo((ushort)0x0800));
        ulong stamp = BinaryPrimitives.ReadUInt64LittleEndian(record);
        Assert.That(stamp, Is.InRange((ulong)before, (ulong)KernelClock.MonotonicNow));
        Assert.That(source.Counter(L.CounterRingFull) + source.Counter(L.CounterCopyFailed), Is.Zero);
    }

    [Test]
    public void AFullRingIsCountedNotSilent()
    {
        EbpfTestSupport.RequireBpf();
        using var source = EbpfRingSource.Create(4096, "wirecap_test", L.CounterCount, "wirecap_test_c");
        using var program = Load(source, 1000, L.DirectionIngress);
        var packet = EbpfTestSupport.UdpFrame(1000);
        for (int i = 0; i < 10; i++) program.TestRun(packet);
        // A 4 KiB ring holds three 1048-byte records (8-byte header each); the other seven reservations fail.
        Assert.That(source.Counter(L.CounterRingFull), Is.EqualTo(7));
    }

    [Test]
    public void SizeClassesArePowersOfTwoEndingAtTheSnapLength()
    {
        Assert.That(TcProgramBuilder.SizeClasses(64), Is.EqualTo(new[] { 64 }));
        Assert.That(TcProgramBuilder.SizeClasses(128), Is.EqualTo(new[] { 128 }));
        Assert.That(TcProgramBuilder.SizeClasses(1000), Is.EqualTo(new[] { 128, 256, 512, 1000 }));
        Assert.That(TcProgramBuilder.SizeClasses(1001), Is.EqualTo(new[] { 128, 256, 512, 1008 }), "records stay 8-byte aligned");
        Assert.That(TcProgramBuilder.SizeClasses(262_144)[^1], Is.EqualTo(262_144));
    }

    private static EbpfProgram Load(EbpfRingSource source, int snapLength, byte direction) =>
        EbpfProgram.Load(TcProgramBuilder.Build(new TcProgramRequest
        {
            Ring = source.Ring,
            Counters = source.Counters,
            SnapLength = snapLength,
            Direction = direction,
            Keep = TcSnapLength.KeepAll,
        }), new EbpfProgramLoadOptions { Type = EbpfProgramType.SchedClassifier, Name = "wirecap_tc_test" });

    private readonly struct Collect(List<byte[]> records) : IRingRecordConsumer
    {
        public bool Consume(ReadOnlySpan<byte> record)
        {
            records.Add(record.ToArray());
            return true;
        }
    }
}
