using System.Buffers.Binary;
using Wirecap;
using Wirecap.Injection;

namespace CookedInjectionSample;

/// <summary>An OBD-II tester asking an ECU for live data over CAN; the harness sits on the tester's
/// side, so requests are outgoing and responses incoming.</summary>
internal sealed class SimulatedCanBus(CookedInjector injector)
{
    private const uint BroadcastRequestId = 0x7DF, EcuResponseId = 0x7E8;

    /// <summary>Service 01 PID 0C: engine speed (the ECU answers 1726 rpm × 4).</summary>
    public void RequestEngineSpeed() => Exchange(pid: 0x0C, [0x1A, 0xF8]);

    /// <summary>Service 01 PID 0D: vehicle speed (the ECU answers 88 km/h).</summary>
    public void RequestVehicleSpeed() => Exchange(pid: 0x0D, [88]);

    private void Exchange(byte pid, byte[] value)
    {
        Send(BroadcastRequestId, [2, 0x01, pid], LinuxPacketType.Outgoing);
        Send(EcuResponseId, [(byte)(2 + value.Length), 0x41, pid, .. value], LinuxPacketType.Host);
    }

    /// <summary>Lays a frame out as SocketCAN's struct can_frame: can_id, length, 3 pad bytes, 8 data bytes.</summary>
    private void Send(uint canId, byte[] data, LinuxPacketType direction)
    {
        Span<byte> frame = stackalloc byte[16];
        frame.Clear();
        // A Linux capture of a CAN interface carries can_id in the capturing host's order, which is
        // how Wireshark reads it (little-endian on the machines this harness runs on).
        BinaryPrimitives.WriteUInt32LittleEndian(frame, canId);
        frame[4] = (byte)data.Length;
        data.CopyTo(frame[8..]);
        injector.Inject(frame, Protocols.Can, direction, hardwareType: Protocols.HardwareCan);
    }
}
