using Wirecap.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

public class RingGeometryTests
{
    private static PacketCaptureOptions Options(long ringSize, int blockSize, int snapLength) =>
        new() { Interface = "eth0", RingSize = ringSize, BlockSize = blockSize, SnapLength = snapLength, Immediate = true };

    [TestCase(32L << 20, 1 << 20, PacketCaptureOptions.MaximumSnapLength)]
    [TestCase(1L << 20, 128 << 10, PacketCaptureOptions.MaximumSnapLength)]
    [TestCase(1L << 20, 4 << 10, 100)]
    [TestCase(64L << 10, 16 << 10, PacketCaptureOptions.MaximumSnapLength)]
    public void ImmediateModeSlotsHoldASnapshotAfterTheirHeadersAndFillTheirBlocks(long ringSize, int blockSize, int snapLength)
    {
        const int reserve = 4;
        var request = RingGeometry.ComputeSlots(Options(ringSize, blockSize, snapLength), reserve);

        // The kernel puts the packet at TPACKET_ALIGN(TPACKET2_HDRLEN + 16) + reserve at most, and cuts it to the slot.
        var room = (int)request.FrameSize - (80 + reserve);
        Assert.That(room, Is.GreaterThanOrEqualTo(Math.Min(snapLength, RingGeometry.MaximumSlotPacket)), "a whole snapshot fits in a slot");
        Assert.That(request.FrameSize % 16, Is.Zero, "slots are TPACKET_ALIGNMENT-aligned");
        Assert.That(request.BlockSize % Environment.SystemPageSize, Is.Zero);
        var perBlock = request.BlockSize / request.FrameSize;
        Assert.That(request.FrameCount, Is.EqualTo(perBlock * request.BlockCount), "the kernel's frame count rule");
        Assert.That(perBlock >= RingGeometry.SlotsPerBlock || request.BlockSize * 2L > ringSize, Is.True,
            $"blocks grow to hold {RingGeometry.SlotsPerBlock} slots unless a larger block would not fit the ring ({perBlock} per block of {request.BlockSize})");
        Assert.That((long)request.BlockSize * request.BlockCount, Is.LessThanOrEqualTo(Math.Max(ringSize, request.BlockSize)),
            "the ring is not larger than asked, except to hold one block");
    }

    [Test]
    public void AOneMegabyteImmediateRingAtFullSnapshotLengthHoldsFifteenSlots()
    {
        // What `wirecap --immediate-mode -B 1024` asks for (the CLI shrinks blocks to an eighth of the ring).
        var request = RingGeometry.ComputeSlots(Options(1L << 20, 128 << 10, PacketCaptureOptions.MaximumSnapLength), 4);
        Assert.That(request.FrameCount, Is.EqualTo(15));
    }
}
