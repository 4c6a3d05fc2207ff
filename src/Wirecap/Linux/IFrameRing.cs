namespace Wirecap.Linux;

/// <summary>A mapped receive ring as the read loop sees it: units (V3 blocks, V2 frame slots) that the kernel hands
/// over one at a time, the frames of the unit the reader holds, and where a frame's header keeps each field. The
/// rings are structs and the loop is generic over them, so every call below is direct and inlined.</summary>
internal unsafe interface IFrameRing
{
    /// <summary>How many units can hold frames at once (frames filtered by an old filter may sit in all of them).</summary>
    int UnitCount { get; }

    /// <summary>Takes the next unit if the kernel has handed it over (true also while a unit is held).</summary>
    bool TryTake();

    /// <summary>The next frame header of the held unit, or null when the unit is exhausted.</summary>
    byte* NextFrame();

    /// <summary>Gives the held unit back to the kernel and moves to the next one.</summary>
    void Return();

    /// <summary>Whether <paramref name="length"/> bytes at <paramref name="data"/> lie inside the memory of the frame
    /// at <paramref name="frame"/> (a check against a corrupt ring, as libpcap makes).</summary>
    bool Contains(byte* frame, byte* data, int length);

    /// <summary>Releases the mapping (nothing when the ring was never mapped).</summary>
    void Dispose();

    /// <summary>Offset of the <c>sockaddr_ll</c> in a frame.</summary>
    static abstract int AddressOffset { get; }

    /// <summary>Offset of the first byte after the <c>sockaddr_ll</c>: room before the data starts there.</summary>
    static abstract int HeaderLength { get; }

    static abstract int MacOffset(byte* frame);
    static abstract int SnapLength(byte* frame);
    static abstract int Length(byte* frame);
    static abstract uint Seconds(byte* frame);
    static abstract uint Nanoseconds(byte* frame);
    static abstract uint Status(byte* frame);
    static abstract ushort VlanTci(byte* frame);
    static abstract ushort VlanTpid(byte* frame);
    static abstract uint RxHash(byte* frame);
}
