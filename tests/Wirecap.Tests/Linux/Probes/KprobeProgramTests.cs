using System.Runtime.InteropServices;
using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Btf;
using Wirecap.Filter;
using Wirecap.Linux;
using Wirecap.Linux.Probes;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>
/// The programs kprobes run, loaded into this kernel's verifier without attaching: the kprobe program type loads
/// even where the kernel has no kprobe PMU, so the verdict on them is had here too.
/// </summary>
[NonParallelizable]
public class KprobeProgramTests
{
    [TestCase("ip_rcv", 0, null, 0u)]
    [TestCase("ip_rcv", 0, "icmp or udp port 53", 0u)]
    [TestCase("ip_local_deliver_finish", 2, null, 0u)]
    [TestCase("ip_local_deliver_finish", 2, "icmp[icmptype] == icmp-echo", 4026531840u)]
    public void TheKprobeProgramIsAcceptedByTheVerifierAndReadsTheSkbFromItsArgumentRegister(string function, int skbArgument, string? filter, uint netns)
    {
        RequirePrivilege();
        var btf = BtfTypes.Vmlinux;
        var target = ProbeTarget.Resolve(btf, ProbeSpec.Parse($"kprobe:{function}"));
        Assert.That(target.SkbArgument, Is.EqualTo(skbArgument), target.Signature);
        using var source = EbpfRingSource.Create(1 << 16, "wirecap_test", ProbeProgramBuilder.CounterCount, "wirecap_test_n");
        var request = Request(target, source, filter, netns);

        using (var program = ProbeAttachment.LoadKprobeProgram(target, request))
            Assert.That(program.Type, Is.EqualTo(EbpfProgramType.Kprobe));

        // Its first instruction loads the skb pointer from the register the calling convention passes it in.
        var first = ProbeProgramBuilder.Build(request with { Typed = false }).Instructions[0];
        Assert.That((first.Opcode, first.Destination, first.Source, first.Offset),
            Is.EqualTo((EbpfOpcode.ClassLdx | EbpfOpcode.SizeDW | EbpfOpcode.ModeMem, EbpfRegister.R6, EbpfRegister.R1, ArgumentRegisterOffset(btf, skbArgument))));
    }

    [Test]
    public void AKprobeOnAFunctionWithADropReasonReadsItFromItsRegisterToo()
    {
        // sk_skb_reason_drop(struct sock *, struct sk_buff *, enum skb_drop_reason) on 6.12 and later; kfree_skb_reason before.
        RequirePrivilege();
        var btf = BtfTypes.Vmlinux;
        var function = new[] { "sk_skb_reason_drop", "kfree_skb_reason" }.FirstOrDefault(f => btf.TryFindFunction(f, out _));
        if (function is null) Assert.Ignore("no kernel function taking an skb and its drop reason in BTF");
        var target = ProbeTarget.Resolve(btf, ProbeSpec.Parse($"kprobe:{function}"));
        Assert.That(target.ReasonArgument, Is.GreaterThan(target.SkbArgument), target.Signature);
        Assert.That(target.ReasonOffset, Is.EqualTo(ArgumentRegisterOffset(btf, target.ReasonArgument)));
        using var source = EbpfRingSource.Create(1 << 16, "wirecap_test", ProbeProgramBuilder.CounterCount, "wirecap_test_n");
        using var program = ProbeAttachment.LoadKprobeProgram(target, Request(target, source, null, 0));
        Assert.That(program.Type, Is.EqualTo(EbpfProgramType.Kprobe));
    }

    private static ProbeProgramRequest Request(ProbeTarget target, EbpfRingSource source, string? filter, uint netns) => new()
    {
        Typed = false,
        SkbOffset = target.SkbOffset,
        ReasonOffset = target.ReasonOffset,
        ProbeId = 0,
        Layout = SkbLayout.From(BtfTypes.Vmlinux),
        Ring = source.Ring,
        Counters = source.Counters,
        NetnsInode = netns,
        SnapLength = 256,
        Filter = filter is null ? null : FilterCompiler.Compile(filter, LinkType.Ethernet, new FilterOptions { Snaplen = 256, Dialect = Wirecap.Bpf.BpfDialect.Kernel }),
    };

    /// <summary>Argument i's register in <c>struct pt_regs</c> (KprobeArgumentTests checks these offsets against gcc and the psABI).</summary>
    private static short ArgumentRegisterOffset(BtfTypes btf, int argument) =>
        KprobeArguments.RegisterOffsets(btf, RuntimeInformation.ProcessArchitecture)[argument];
}
