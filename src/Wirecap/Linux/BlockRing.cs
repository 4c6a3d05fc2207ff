using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>The mapped TPACKET_V3 ring: a circle of blocks, each owned either by the kernel (filling it) or by
/// the reader (after the kernel sets <c>TP_STATUS_USER</c>). The reader walks the frames of the block it owns
/// and gives it back by writing <c>TP_STATUS_KERNEL</c>. The kernel hands a block over when it is full or its
/// timeout expires, so many packets cost one wake-up.</summary>
internal unsafe struct BlockRing : IFrameRing
{
    private readonly MappedRingHandle? _mapping;
    private readonly byte* _base;
    private readonly int _blockSize;
    private readonly int _blockCount;
    private int _blockIndex;
    private byte* _blockEnd;
    private byte* _nextFrame;
    private int _framesLeft;
    private bool _holdingBlock;

    private BlockRing(MappedRingHandle mapping, int blockSize, int blockCount)
    {
        _mapping = mapping;
        _base = (byte*)mapping.DangerousGetHandle();
        _blockSize = blockSize;
        _blockCount = blockCount;
    }

    internal static BlockRing Map(PacketSocket socket, in TPacketRequest3 request, string device) =>
        new(MappedRingHandle.Map(socket.Handle, (nuint)request.BlockSize * request.BlockCount, device), (int)request.BlockSize, (int)request.BlockCount);

    /// <summary>Blocks in the ring, plus the one the kernel may be filling while it hands another over.</summary>
    public readonly int UnitCount => _blockCount + 1;

    private readonly TPacketBlockDescriptor* Block(int index) => (TPacketBlockDescriptor*)(_base + (long)index * _blockSize);

    public bool TryTake()
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

    public byte* NextFrame()
    {
        if (_framesLeft == 0) return null;
        var frame = _nextFrame;
        _framesLeft--;
        _nextFrame = frame + ((TPacket3Header*)frame)->NextOffset;
        return frame;
    }

    public void Return()
    {
        if (!_holdingBlock) return;
        Volatile.Write(ref Block(_blockIndex)->BlockStatus, StatusKernel);
        _holdingBlock = false;
        _blockIndex = (_blockIndex + 1) % _blockCount;
    }

    public readonly bool Contains(byte* frame, byte* data, int length) => data >= frame && data + length <= _blockEnd;

    public readonly void Dispose() => _mapping?.Dispose();

    /// <summary>TPACKET_ALIGN(sizeof(struct tpacket3_hdr)).</summary>
    public static int AddressOffset => 48;
    /// <summary>TPACKET3_HDRLEN.</summary>
    public static int HeaderLength => 48 + 20;
    public static int MacOffset(byte* frame) => ((TPacket3Header*)frame)->MacOffset;
    public static int SnapLength(byte* frame) => (int)((TPacket3Header*)frame)->SnapLength;
    public static int Length(byte* frame) => (int)((TPacket3Header*)frame)->Length;
    public static uint Seconds(byte* frame) => ((TPacket3Header*)frame)->Seconds;
    public static uint Nanoseconds(byte* frame) => ((TPacket3Header*)frame)->Nanoseconds;
    public static uint Status(byte* frame) => ((TPacket3Header*)frame)->Status;
    public static ushort VlanTci(byte* frame) => (ushort)((TPacket3Header*)frame)->VlanTci;
    public static ushort VlanTpid(byte* frame) => ((TPacket3Header*)frame)->VlanTpid;
    public static uint RxHash(byte* frame) => ((TPacket3Header*)frame)->RxHash;
}
