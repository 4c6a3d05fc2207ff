using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>The mapped TPACKET_V2 ring used in immediate mode: fixed-size frame slots, each owned either by the
/// kernel or, once it wrote a packet there and set <c>TP_STATUS_USER</c>, by the reader. The kernel wakes a waiting
/// reader for every packet (V3 only when a block closes), which is what immediate mode is for; libpcap chooses
/// V2 for immediate mode for the same reason.</summary>
internal unsafe struct SlotRing : IFrameRing
{
    private readonly MappedRingHandle? _mapping;
    private readonly byte* _base;
    private readonly int _blockSize;
    private readonly int _frameSize;
    private readonly int _framesPerBlock;
    private readonly int _frameCount;
    private int _slotIndex;
    private byte* _slot;
    private bool _delivered;

    private SlotRing(MappedRingHandle mapping, in TPacketRequest request)
    {
        _mapping = mapping;
        _base = (byte*)mapping.DangerousGetHandle();
        _blockSize = (int)request.BlockSize;
        _frameSize = (int)request.FrameSize;
        _framesPerBlock = _blockSize / _frameSize;
        _frameCount = (int)request.FrameCount;
    }

    internal static SlotRing Map(PacketSocket socket, in TPacketRequest request, string device) =>
        new(MappedRingHandle.Map(socket.Handle, (nuint)request.BlockSize * request.BlockCount, device), request);

    public readonly int UnitCount => _frameCount;

    /// <summary>Slots fill blocks from the start; the tail of a block too short for another slot is unused.</summary>
    private readonly byte* Slot(int index) =>
        _base + (long)(index / _framesPerBlock) * _blockSize + (long)(index % _framesPerBlock) * _frameSize;

    public bool TryTake()
    {
        if (_slot != null) return true;
        var slot = Slot(_slotIndex);
        if ((Volatile.Read(ref ((TPacket2Header*)slot)->Status) & StatusUser) == 0) return false;
        _slot = slot;
        _delivered = false;
        return true;
    }

    public byte* NextFrame()
    {
        if (_delivered) return null;
        _delivered = true;
        return _slot;
    }

    public void Return()
    {
        if (_slot == null) return;
        Volatile.Write(ref ((TPacket2Header*)_slot)->Status, StatusKernel);
        _slot = null;
        _slotIndex = _slotIndex + 1 == _frameCount ? 0 : _slotIndex + 1;
    }

    public readonly bool Contains(byte* frame, byte* data, int length) => data >= frame && data + length <= frame + _frameSize;

    public readonly void Dispose() => _mapping?.Dispose();

    /// <summary>TPACKET_ALIGN(sizeof(struct tpacket2_hdr)).</summary>
    public static int AddressOffset => 32;
    /// <summary>TPACKET2_HDRLEN.</summary>
    public static int HeaderLength => 32 + 20;
    public static int MacOffset(byte* frame) => ((TPacket2Header*)frame)->MacOffset;
    public static int SnapLength(byte* frame) => (int)((TPacket2Header*)frame)->SnapLength;
    public static int Length(byte* frame) => (int)((TPacket2Header*)frame)->Length;
    public static uint Seconds(byte* frame) => ((TPacket2Header*)frame)->Seconds;
    public static uint Nanoseconds(byte* frame) => ((TPacket2Header*)frame)->Nanoseconds;
    public static uint Status(byte* frame) => ((TPacket2Header*)frame)->Status;
    public static ushort VlanTci(byte* frame) => ((TPacket2Header*)frame)->VlanTci;
    public static ushort VlanTpid(byte* frame) => ((TPacket2Header*)frame)->VlanTpid;
    /// <summary>V2 frames carry no flow hash.</summary>
    public static uint RxHash(byte* frame) => 0;
}
