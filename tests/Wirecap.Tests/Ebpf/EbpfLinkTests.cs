using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf;

/// <summary>tcx links made with <c>BPF_LINK_CREATE</c>, and taken off with <c>BPF_LINK_DETACH</c> or by closing them,
/// judged by the kernel's own list of what is attached (<c>BPF_PROG_QUERY</c>).</summary>
[NonParallelizable]
public class EbpfLinkTests
{
    [Test]
    public void A_link_attaches_and_an_explicit_detach_takes_the_program_off_while_the_descriptor_stays_open()
    {
        EbpfTestSupport.RequireBpf();
        using var net = new TestNetwork(addresses: false);
        var asm = new EbpfAssembler();
        asm.Mov64(R0, -1).Exit(); // TCX_NEXT
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        int index = net.IndexOf(net.InnerB);
        uint[] Attached() => net.Run(() => EbpfAttachments.Query(index, EbpfAttachType.TcxIngress));

        using var link = net.Run(() => EbpfLink.Create(program, index, EbpfAttachType.TcxIngress));
        Assert.That(Attached(), Is.EqualTo(new[] { program.Id }));
        Assert.That(link.Id, Is.GreaterThan(0u));
        link.Detach();
        Assert.That(Attached(), Is.Empty, "detached, though the link's descriptor is still open");
        Assert.That(link.Handle.IsClosed, Is.False);

        using (net.Run(() => EbpfLink.Create(program, index, EbpfAttachType.TcxIngress)))
            Assert.That(Attached(), Is.EqualTo(new[] { program.Id }));
        Assert.That(Attached(), Is.Empty, "closing a link detaches it");
    }
}
