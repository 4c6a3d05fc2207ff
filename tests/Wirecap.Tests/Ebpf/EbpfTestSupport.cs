using Wirecap.Ebpf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Ebpf;

/// <summary>Shared pieces of the eBPF tests.</summary>
internal static class EbpfTestSupport
{
    /// <summary>Skips (or fails under CAPTURE_REQUIRE_PRIVILEGED=1) unless the test may load eBPF programs.</summary>
    public static void RequireBpf() => Privilege.RequireRoot("loads eBPF programs with bpf(2)");

    /// <summary>Loads <paramref name="code"/> as a TC classifier.</summary>
    public static EbpfProgram LoadClassifier(EbpfCode code, bool keepLog = false) =>
        EbpfProgram.Load(code, new EbpfProgramLoadOptions { Type = EbpfProgramType.SchedClassifier, Name = "wirecap_test", KeepVerifierLog = keepLog });

    /// <summary>An Ethernet/IPv4/UDP frame of <paramref name="length"/> bytes (at least 42).</summary>
    public static byte[] UdpFrame(int length = 64, ushort destinationPort = 53)
    {
        var frame = new byte[length];
        new byte[] { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00 }.CopyTo(frame, 0);
        frame[14] = 0x45;
        int ipLength = length - 14;
        frame[16] = (byte)(ipLength >> 8);
        frame[17] = (byte)ipLength;
        frame[22] = 64;
        frame[23] = 17;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(frame, 26);
        frame[34] = 0x30; frame[35] = 0x39;
        frame[36] = (byte)(destinationPort >> 8); frame[37] = (byte)destinationPort;
        int udpLength = ipLength - 20;
        frame[38] = (byte)(udpLength >> 8); frame[39] = (byte)udpLength;
        return frame;
    }
}
