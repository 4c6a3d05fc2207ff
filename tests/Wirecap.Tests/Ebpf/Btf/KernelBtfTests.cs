using NUnit.Framework;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>What the probes need from the running kernel's BTF, found by type and name.</summary>
public class KernelBtfTests
{
    [TestCase("netif_receive_skb", 0)]
    [TestCase("net_dev_start_xmit", 0)]
    [TestCase("kfree_skb", 0)]
    [TestCase("consume_skb", 0)]
    public void SkbTracepointsHaveTheirSkbArgumentFoundByType(string name, int index)
    {
        var btf = KernelBtf.Require();
        Assert.That(btf.TryFindTracepoint(name, out var tracepoint), Is.True, name);
        Assert.That(tracepoint.IndexOfPointerTo("sk_buff"), Is.EqualTo(index), tracepoint.ToString());
        Assert.That(tracepoint.Typedef.Name, Is.EqualTo("btf_trace_" + name));
        Assert.That(tracepoint.Prototype.Parameters[0].Type.ToString(), Is.EqualTo("void *"), "the hidden probe data comes first");
    }

    [Test]
    public void KfreeSkbCarriesADropReasonOfTheSkbDropReasonEnum()
    {
        var btf = KernelBtf.Require();
        btf.TryFindTracepoint("kfree_skb", out var kfree);
        var reason = kfree.Arguments.Single(a => a.Type.Resolve().Kind == BtfKind.Enum);
        Assert.That(reason.Type.Resolve().Name, Is.EqualTo("skb_drop_reason"));
        var names = btf.Find(BtfKind.Enum, "skb_drop_reason").EnumValues;
        Assert.That(names, Has.Some.EqualTo(new BtfEnumValue("SKB_DROP_REASON_NOT_SPECIFIED", 2)));
        Assert.That(names.Select(v => v.Name), Has.Some.EqualTo("SKB_DROP_REASON_NO_SOCKET"));
    }

    [Test]
    public void SkBuffHeadersLiveInAnonymousMembersAndPktTypeIsABitfield()
    {
        var btf = KernelBtf.Require();
        var skb = btf.Find(BtfKind.Struct, "sk_buff");
        Assert.That(skb.Members.Select(m => m.Name), Has.None.EqualTo("mac_header"), "not a direct member");
        Assert.That(skb.FindField("mac_header").Type.Resolve().Size, Is.EqualTo(2));
        Assert.That(skb.FindField("pkt_type").IsBitfield, Is.True);
        Assert.That(skb.FindField("dev").Type.IsPointerToStruct("net_device"), Is.True);
        Assert.That(btf.TryFindFunction("ip_rcv", out var ipRcv), Is.True);
        Assert.That(ipRcv.Parameters[0].Type.IsPointerToStruct("sk_buff"), Is.True);
        Assert.That(ipRcv.Parameters[0].Name, Is.EqualTo("skb"));
    }
}
