using System.Buffers.Binary;
using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Interop;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf;

/// <summary>
/// The perf-event path a kprobe takes — <c>perf_event_open</c> on a dynamic-probe PMU, a kprobe-type program, a
/// <c>BPF_PERF_EVENT</c> link that keeps the event once its descriptor is closed — run end to end on the uprobe PMU,
/// which takes the same attribute layout and the same program type and which this kernel has even where it has no
/// kprobes: a uprobe at the entry of a private copy of <c>true</c> counts its runs.
/// </summary>
[NonParallelizable]
public class PerfEventLinkTests : TempDirectoryFixture
{
    private const string UprobePmu = "/sys/bus/event_source/devices/uprobe";

    [Test]
    public void AProgramLinkedToAProbePerfEventRunsOnEachHitUntilTheLinkCloses()
    {
        EbpfTestSupport.RequireBpf();
        if (!Directory.Exists(UprobePmu))
        {
            const string reason = $"this kernel has no uprobe PMU ({UprobePmu}: CONFIG_UPROBE_EVENTS is not set)";
            if (Privilege.Required) Assert.Fail(reason);
            Assert.Ignore(reason);
        }
        // A copy of our own, so that no other process's runs of true are counted.
        string binary = Path.Combine(TempDir, "wirecap-true");
        File.Copy("/bin/true", binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        using var counter = EbpfMap.CreateArray(8, 1, "wirecap_hits");
        using var program = EbpfProgram.Load(CountingProgram(counter), new EbpfProgramLoadOptions { Type = EbpfProgramType.Kprobe, Name = "wirecap_uprobe" });
        EbpfLink link;
        int fd = PerfProbeEvent.TryOpen(PerfProbeEvent.PmuType(UprobePmu), binary, EntryFileOffset(binary), out int errno);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"perf_event_open on the uprobe PMU: errno {errno}");
        using (var perfEvent = new EbpfObjectHandle(fd))
            link = EbpfLink.Create(program, perfEvent.Descriptor, EbpfAttachType.PerfEvent);
        // The perf event's descriptor is closed: the link holds the event.
        using (link)
        {
            Assert.That(link.Description, Does.StartWith("perf event"));
            for (int i = 0; i < 3; i++) Tool.RunOk(binary, "");
            Assert.That(Hits(counter), Is.EqualTo(3), "one hit per run of the probed binary");
        }
        Tool.RunOk(binary, "");
        Assert.That(Hits(counter), Is.EqualTo(3), "closing the link removed the probe");
    }

    /// <summary>Adds 1 to element 0 of <paramref name="counter"/> (atomically: runs may overlap on two CPUs).</summary>
    private static EbpfCode CountingProgram(EbpfMap counter)
    {
        var a = new EbpfAssembler();
        var exit = a.DefineLabel();
        a.StoreImmediate(EbpfSize.Word, R10, -4, 0);
        a.LoadMap(R1, counter);
        a.Mov64(R2, R10);
        a.Alu64(EbpfAluOp.Add, R2, -4);
        a.Call(EbpfHelper.MapLookupElement);
        a.Jump(EbpfJumpOp.Equal, R0, 0, exit);
        a.Mov64(R1, 1);
        a.Emit(new EbpfInstruction(EbpfOpcode.ClassStx | EbpfOpcode.SizeDW | EbpfOpcode.ModeAtomic, R0, R1, 0, 0x00)); // BPF_ADD
        a.Mark(exit);
        a.Mov64(R0, 0);
        a.Exit();
        return a.Build();
    }

    private static ulong Hits(EbpfMap counter)
    {
        Span<byte> value = stackalloc byte[8];
        counter.Lookup(0, value);
        return BinaryPrimitives.ReadUInt64LittleEndian(value);
    }

    /// <summary>Where in the file an ELF64 executable's entry instruction is: e_entry within the PT_LOAD segment holding it.</summary>
    private static ulong EntryFileOffset(string path)
    {
        var elf = File.ReadAllBytes(path);
        Assert.That(elf.AsSpan(0, 5).ToArray(), Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2 }), "an ELF64 file");
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x18));
        int table = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        int size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        for (int i = 0; i < count; i++)
        {
            var header = elf.AsSpan(table + i * size);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != 1) continue; // PT_LOAD
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
            ulong fileSize = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            if (entry >= address && entry < address + fileSize) return entry - address + offset;
        }
        throw new AssertionException($"{path}: no PT_LOAD segment holds the entry point 0x{entry:x}");
    }
}
