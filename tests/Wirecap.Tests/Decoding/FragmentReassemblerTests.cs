using Wirecap.Decoding;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Wirecap.Tests.Decoding.FragmentBuilder;

namespace Wirecap.Tests.Decoding;

public class FragmentReassemblerTests
{
    private const long Second = 1_000_000_000;

    private static (ReassemblyStatus Status, byte[] Datagram) Submit(FragmentReassembler r, byte[] packet, long ts = 0)
    {
        var status = r.Submit(packet, ts, out var datagram);
        return (status, datagram.ToArray());
    }

    private static byte[] Feed(FragmentReassembler r, IEnumerable<byte[]> fragments, long ts = 0)
    {
        byte[]? result = null;
        foreach (var f in fragments)
        {
            var (status, datagram) = Submit(r, f, ts);
            if (status == ReassemblyStatus.Complete)
            {
                Assert.That(result, Is.Null, "completed twice");
                result = datagram;
            }
            else Assert.That(status, Is.EqualTo(ReassemblyStatus.Incomplete));
        }
        Assert.That(result, Is.Not.Null, "never completed");
        return result!;
    }

    [Test]
    public void NonFragmentsPassThroughUnchanged()
    {
        using var r = new FragmentReassembler();
        var packet = IPv4Datagram(100);
        var (status, datagram) = Submit(r, packet);
        Assert.That(status, Is.EqualTo(ReassemblyStatus.NotFragment));
        Assert.That(datagram, Is.EqualTo(packet));
        Assert.That(Submit(r, [0x00, 0x01]).Status, Is.EqualTo(ReassemblyStatus.NotFragment), "not IP");
        Assert.That(Submit(r, IPv6Datagram(30, hopByHopUnits: 1)).Status, Is.EqualTo(ReassemblyStatus.NotFragment));
    }

    [Test]
    public void IPv4InOrderAndOutOfOrderGiveTheOriginalDatagram()
    {
        var original = IPv4Datagram(3000, options: [1, 1, 1, 0]);
        var fragments = FragmentIPv4(original, 1480, 2960);
        using var r = new FragmentReassembler();
        Assert.That(Feed(r, fragments), Is.EqualTo(original));
        Assert.That(Feed(r, [fragments[2], fragments[0], fragments[1]]), Is.EqualTo(original));
        Assert.That(r.Statistics.DatagramsReassembled, Is.EqualTo(2));
        Assert.That(r.PendingBytes, Is.Zero);
        Assert.That(r.PendingDatagrams, Is.Zero);
    }

    [Test]
    public void IPv6WithExtensionHeaderReassemblesAndDropsTheFragmentHeader()
    {
        var original = IPv6Datagram(2500, hopByHopUnits: 2);
        var fragments = FragmentIPv6(original, 0xabcdef, 1232);
        using var r = new FragmentReassembler();
        Assert.That(Feed(r, fragments.AsEnumerable().Reverse()), Is.EqualTo(original));
    }

    [Test]
    public void AtomicIPv6FragmentIsDeliveredWithoutItsFragmentHeader()
    {
        var original = IPv6Datagram(64);
        var atomic = FragmentIPv6(original, 7);
        using var r = new FragmentReassembler();
        var (status, datagram) = Submit(r, atomic.Single());
        Assert.That(status, Is.EqualTo(ReassemblyStatus.Complete));
        Assert.That(datagram, Is.EqualTo(original));
    }

    [Test]
    public void ExactDuplicatesAreIgnoredButConflictingOverlapsDropTheDatagram()
    {
        var original = IPv4Datagram(2000);
        var fragments = FragmentIPv4(original, 1000);
        using var r = new FragmentReassembler();
        Assert.That(Submit(r, fragments[0]).Status, Is.EqualTo(ReassemblyStatus.Incomplete));
        Assert.That(Submit(r, fragments[0]).Status, Is.EqualTo(ReassemblyStatus.Incomplete));
        Assert.That(r.Statistics.DuplicateFragments, Is.EqualTo(1));
        Assert.That(Submit(r, fragments[1]).Datagram, Is.EqualTo(original));

        var other = FragmentIPv4(IPv4Datagram(2000, id: 9), 1000);
        var overlapping = FragmentIPv4(IPv4Datagram(2000, id: 9, seed: 99), 504)[1]; // offset 504 overlaps [0,1000) with other bytes
        Assert.That(Submit(r, other[0]).Status, Is.EqualTo(ReassemblyStatus.Incomplete));
        Assert.That(Submit(r, overlapping).Status, Is.EqualTo(ReassemblyStatus.Dropped));
        Assert.That(Submit(r, other[1]).Status, Is.EqualTo(ReassemblyStatus.Dropped), "the rest of a dropped datagram is ignored");
        Assert.That(r.Statistics.Dropped(FragmentDropReason.Overlap), Is.EqualTo(1));
        Assert.That(r.Statistics.FragmentsOfDroppedDatagrams, Is.EqualTo(1));
    }

    [Test]
    public void IncompleteDatagramsExpireOnPacketTime()
    {
        using var r = new FragmentReassembler(new ReassemblyOptions { Timeout = TimeSpan.FromSeconds(30) });
        var fragments = FragmentIPv4(IPv4Datagram(2000), 1000);
        Submit(r, fragments[0], ts: 100 * Second);
        Assert.That(r.Expire(129 * Second), Is.Zero);
        Assert.That(r.PendingDatagrams, Is.EqualTo(1));
        // The missing fragment arrives too late: the first is gone, so this one starts a new datagram.
        Assert.That(Submit(r, fragments[1], ts: 131 * Second).Status, Is.EqualTo(ReassemblyStatus.Incomplete));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.Expired), Is.EqualTo(1));
        Assert.That(r.Expire(200 * Second), Is.EqualTo(1));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.Expired), Is.EqualTo(2));
        Assert.That(r.PendingBytes, Is.Zero);
    }

    [Test]
    public void MalformedAndOversizedFragmentsAreCountedByReason()
    {
        using var r = new FragmentReassembler();
        var bad = FragmentIPv4(IPv4Datagram(2000), 1000)[0];
        bad[2] = 0x03; bad[3] = 0xF1; // total length 1009: 989-byte non-final fragment is not a multiple of 8
        Assert.That(Submit(r, bad).Status, Is.EqualTo(ReassemblyStatus.Dropped));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.Malformed), Is.EqualTo(1));

        var huge = FragmentIPv4(IPv4Datagram(1000, id: 77), 504)[1];
        huge[6] = 0x1f; huge[7] = 0xff; // offset 65528: ping of death
        Assert.That(Submit(r, huge).Status, Is.EqualTo(ReassemblyStatus.Dropped));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.TooLarge), Is.EqualTo(1));

        var twoEnds = FragmentIPv4(IPv4Datagram(2000, id: 78), 1000);
        var shorterEnd = FragmentIPv4(IPv4Datagram(1600, id: 78), 1000)[1];
        Submit(r, twoEnds[1]);
        Assert.That(Submit(r, shorterEnd).Status, Is.EqualTo(ReassemblyStatus.Dropped));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.Malformed), Is.EqualTo(2));
    }

    [Test]
    public void MemoryCapHoldsUnderAFloodOfIncompleteFragments()
    {
        const long limit = 256 * 1024;
        using var r = new FragmentReassembler(new ReassemblyOptions { MemoryLimit = limit });
        long maxSeen = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var first = FragmentIPv4(IPv4Datagram(1400, id: (ushort)i, seed: (byte)i), 1000)[0];
            first[12] = (byte)(i >> 16); // distinct sources beyond the 16-bit id space
            Submit(r, first, ts: i);
            maxSeen = Math.Max(maxSeen, r.PendingBytes);
        }
        Assert.That(maxSeen, Is.LessThanOrEqualTo(limit));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.MemoryCap), Is.GreaterThan(19_000));
        // The newest datagram can still complete.
        var last = FragmentIPv4(IPv4Datagram(1400, id: 19_999 & 0xffff, seed: unchecked((byte)19_999)), 1000);
        last[1][12] = (byte)(19_999 >> 16);
        Assert.That(Submit(r, last[1], ts: 20_000).Status, Is.EqualTo(ReassemblyStatus.Complete));
    }

    [Test]
    public void OneDatagramLargerThanTheCapIsDroppedAlone()
    {
        using var r = new FragmentReassembler(new ReassemblyOptions { MemoryLimit = 4096 });
        var fragments = FragmentIPv4(IPv4Datagram(9000), 1480, 2960, 4440, 5920);
        var statuses = fragments.Select(f => Submit(r, f).Status).ToList();
        Assert.That(statuses, Does.Contain(ReassemblyStatus.Dropped));
        Assert.That(r.Statistics.Dropped(FragmentDropReason.MemoryCap), Is.EqualTo(1));
        Assert.That(r.PendingBytes, Is.LessThanOrEqualTo(4096));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AnyFragmentationInAnyOrderReassemblesToTheOriginal(PositiveInt sizeSeed, int shuffleSeed, bool ipv6)
    {
        int payload = 8 + sizeSeed.Get % 6000;
        var random = new Random(shuffleSeed);
        var cuts = Enumerable.Range(1, random.Next(0, 8)).Select(_ => random.Next(1, Math.Max(2, payload / 8)) * 8)
            .Where(c => c < payload).Distinct().Order().ToArray();
        byte[] original = ipv6 ? IPv6Datagram(payload, hopByHopUnits: random.Next(0, 3)) : IPv4Datagram(payload);
        var fragments = ipv6 ? FragmentIPv6(original, (uint)shuffleSeed, cuts) : FragmentIPv4(original, cuts);
        var shuffled = fragments.OrderBy(_ => random.Next()).ToList();
        using var r = new FragmentReassembler();
        byte[]? result = null;
        foreach (var f in shuffled)
        {
            // With no cut an IPv4 datagram is not fragmented at all (an IPv6 one is an atomic fragment).
            var status = r.Submit(f, 0, out var d);
            if (status is ReassemblyStatus.Complete or ReassemblyStatus.NotFragment) result = d.ToArray();
        }
        return (result is not null && result.AsSpan().SequenceEqual(original) && r.PendingBytes == 0).ToProperty();
    }
}
