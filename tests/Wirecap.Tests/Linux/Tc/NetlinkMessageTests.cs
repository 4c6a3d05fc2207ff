using NUnit.Framework;
using Wirecap.Linux.Tc;
using Wirecap.Linux.Tc.Netlink;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>The rtnetlink messages the clsact fallback sends, byte for byte, and how it tells its orphans.</summary>
public class NetlinkMessageTests
{
    [Test]
    public void AMessageHasItsHeaderTcmsgAndPaddedNestedAttributes()
    {
        var bytes = new NetlinkMessage(44, 0x0605, 7, ifindex: 3, handle: 0, parent: 0xFFFF_FFF2, info: 0x0300)
            .Add(1, "bpf")
            .BeginNest(2).Add(6, 9u).Add(7, "ab").EndNest()
            .ToArray();
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo(
            "40000000" + "2C00" + "0506" + "07000000" + "00000000" +     // nlmsghdr: length 64, RTM_NEWTFILTER, flags, seq, pid
            "00000000" + "03000000" + "00000000" + "F2FFFFFF" + "00030000" + // tcmsg: family+pads, ifindex, handle, parent, info
            "0800" + "0100" + "62706600" +                                 // TCA_KIND "bpf\0"
            "1400" + "0200" +                                              // TCA_OPTIONS, 20 bytes
            "0800" + "0600" + "09000000" +                                 //   TCA_BPF_FD 9
            "0700" + "0700" + "61620000"));                                //   TCA_BPF_NAME "ab\0", padded
    }

    [Test]
    public void AttributesAreFoundByTypeInsideAndOutsideNests()
    {
        var bytes = new NetlinkMessage(44, 0, 1, 1, 0, 0, 0).Add(1, "bpf").BeginNest(2).Add(7, "wirecap:1:2:3:in").EndNest().ToArray();
        var attributes = new NetlinkAttributes(bytes.AsSpan(NetlinkMessage.HeaderLength + NetlinkMessage.TcMessageLength));
        Assert.That(attributes.String(1), Is.EqualTo("bpf"));
        Assert.That(attributes.TryGet(2, out var options), Is.True);
        Assert.That(new NetlinkAttributes(options).String(7), Is.EqualTo("wirecap:1:2:3:in"));
        Assert.That(attributes.String(9), Is.Null);
    }

    [Test]
    public void AFilterIsAnOrphanWhenItsOwnerIsGoneOrItsPidBelongsToAnotherProcess()
    {
        int self = Environment.ProcessId;
        long start = ClsactHook.ProcessStartTime(self)!.Value;
        Assert.That(ClsactHook.IsOrphan($"wirecap:{self}:{start}:1:in"), Is.False, "this process still runs");
        Assert.That(ClsactHook.IsOrphan($"wirecap:{self}:{start + 1}:1:in"), Is.True, "same pid, another process");
        Assert.That(ClsactHook.IsOrphan("wirecap:999999999:5:1:out"), Is.True, "no such process");
        Assert.That(ClsactHook.IsOrphan("cap_tc"), Is.False, "not ours");
        Assert.That(ClsactHook.IsOrphan("wirecap:x"), Is.False, "not a name we give");
    }
}
