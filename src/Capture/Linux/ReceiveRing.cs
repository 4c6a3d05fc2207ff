using Capture.Linux.Interop;
using static Capture.Linux.Interop.PacketSocketConstants;

namespace Capture.Linux;

/// <summary>The mapped TPACKET_V3 ring: a circle of blocks, each owned either by the kernel (filling it) or by
/// the reader (after the kernel sets <c>TP_STATUS_USER</c>). The reader walks the frames of the block it owns
/// and gives it back by writing <c>TP_STATUS_KERNEL</c>.</summary>
internal sealed unsafe class ReceiveRing : IDisposable
{
    private readonly MappedRingHandle _mapping;
    private readonly byte* _base;
    private readonly int _blockSize;
    private readonly int _blockCount;
    private int _blockIndex;
    private byte* _blockEnd;
    private byte* _nextFrame;
    private int _framesLeft;
    private bool _holdingBlock;

    private ReceiveRing(MappedRingHandle mapping, int blockSize, int blockCount)
    {
        _mapping = mapping;
        _base = (byte*)mapping.DangerousGetHandle();
        _blockSize = blockSize;
        _blockCount = blockCount;
    }

    internal int BlockCount => _blockCount;
    internal int BlockSize => _blockSize;

    internal static ReceiveRing Map(PacketSocket socket, in TPacketRequest3 request, string device)
    {
        var length = (nuint)request.BlockSize * request.BlockCount;
        var mapping = Libc.Mmap(0, length, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, socket.Handle, 0);
        if (mapping == Libc.MapFailed) throw RingErrors.Mapping(Errno.Last, device, (long)length);
        return new ReceiveRing(new MappedRingHandle(mapping, length), (int)request.BlockSize, (int)request.BlockCount);
    }

    private TPacketBlockDescriptor* Block(int index) => (TPacketBlockDescriptor*)(_base + (long)index * _blockSize);

    /// <summary>True when the reader holds a block (possibly with frames left from an earlier call).</summary>
    internal bool HoldingBlock => _holdingBlock;

    /// <summary>Takes the next block if the kernel has handed it over.</summary>
    internal bool TryTakeBlock()
    {
        if (_holdingBlock) return true;
        var block = Block(_blockIndex);
        if ((Volatile.Read(ref block->BlockStatus) & StatusUser) == 0) return false;
        _framesLeft = (int)block->PacketCount;
        _nextFrame = (byte*)block + block->OffsetToFirstPacket;
        _blockEnd = (byte*)block + _blockSize;
        _holdingBlock = true;
        return true;
    }

    /// <summary>The next frame header of the held block, or null when the block is exhausted.</summary>
    internal byte* NextFrame()
    {
        if (_framesLeft == 0) return null;
        var frame = _nextFrame;
        _framesLeft--;
        _nextFrame = frame + ((TPacket3Header*)frame)->NextOffset;
        return frame;
    }

    /// <summary>Gives the held block back to the kernel and moves to the next one.</summary>
    internal void ReturnBlock()
    {
        if (!_holdingBlock) return;
        Volatile.Write(ref Block(_blockIndex)->BlockStatus, StatusKernel);
        _holdingBlock = false;
        _blockIndex = (_blockIndex + 1) % _blockCount;
    }

    /// <summary>Whether <paramref name="length"/> bytes at <paramref name="data"/>, in the frame at
    /// <paramref name="frame"/>, lie inside the held block (a check against a corrupt ring, as libpcap makes).</summary>
    internal bool Contains(byte* frame, byte* data, int length) => data >= frame && data + length <= _blockEnd;

    public void Dispose() => _mapping.Dispose();
}
