using Wirecap.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>The two rings a capture can read: TPACKET_V3 blocks (the default) or immediate mode's TPACKET_V2 frame slots.</summary>
public enum RingKind
{
    Blocks,
    ImmediateSlots,
}

/// <summary>Runs every test of a derived fixture once with each ring, so both readers meet the same expectations.</summary>
[TestFixture(RingKind.Blocks)]
[TestFixture(RingKind.ImmediateSlots)]
public abstract class EachRingFixture(RingKind ring)
{
    protected RingKind Ring => ring;

    /// <summary><see cref="LiveCapture.Options"/> for this fixture's ring.</summary>
    protected PacketCaptureOptions Options(string device) => LiveCapture.Options(device, ring == RingKind.ImmediateSlots);
}
