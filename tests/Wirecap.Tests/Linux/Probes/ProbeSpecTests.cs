using NUnit.Framework;
using Wirecap.Linux.Probes;

namespace Wirecap.Tests.Linux.Probes;

public class ProbeSpecTests
{
    [TestCase("tp:net:netif_receive_skb", ProbeKind.Tracepoint, "net", "netif_receive_skb", "raw_tracepoint:net:netif_receive_skb", "[tp] net:netif_receive_skb")]
    [TestCase("net:net_dev_start_xmit", ProbeKind.Tracepoint, "net", "net_dev_start_xmit", "raw_tracepoint:net:net_dev_start_xmit", "[tp] net:net_dev_start_xmit")]
    [TestCase("raw_tracepoint:skb:kfree_skb", ProbeKind.Tracepoint, "skb", "kfree_skb", "raw_tracepoint:skb:kfree_skb", "[tp] skb:kfree_skb")]
    [TestCase("kprobe:ip_rcv", ProbeKind.Kprobe, null, "ip_rcv", "kprobe:ip_rcv", "[k] ip_rcv")]
    [TestCase("fentry:tcp_v4_rcv", ProbeKind.Fentry, null, "tcp_v4_rcv", "fentry:tcp_v4_rcv", "[f] tcp_v4_rcv")]
    public void ProbeNamesParseIntoKindSystemAndTargetAndSpellAsRetisDoes(string text, ProbeKind kind, string? system, string target, string retis, string display)
    {
        var spec = ProbeSpec.Parse(text);
        Assert.That((spec.Kind, spec.System, spec.Target, spec.RetisName, spec.DisplayName), Is.EqualTo((kind, system, target, retis, display)));
        Assert.That(ProbeSpec.Parse(spec.ToString()), Is.EqualTo(spec), "ToString reads back");
    }

    [TestCase("", "an empty part")]
    [TestCase("tp:", "an empty part")]
    [TestCase("tp:a:b:c", "too many ':'")]
    [TestCase("uprobe:x:y", "unknown probe type 'uprobe'")]
    [TestCase("kprobe:a:b", "a function name is one part")]
    [TestCase("tp:net:bad-name", "'bad-name' is not a kernel symbol name")]
    public void MalformedProbeNamesAreRefusedWithTheReason(string text, string why)
    {
        Assert.That(() => ProbeSpec.Parse(text), Throws.TypeOf<ProbeException>().With.Message.Contains(why).And.Message.Contains($"probe '{text}'"));
    }
}
