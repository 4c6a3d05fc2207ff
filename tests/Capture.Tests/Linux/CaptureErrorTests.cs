using Capture.Linux;
using Capture.Linux.Interop;
using Capture.Tests.Infrastructure;
using NUnit.Framework;

namespace Capture.Tests.Linux;

[NonParallelizable]
public class CaptureErrorTests
{
    [Test]
    public void AnUnknownInterfaceIsNamedInTheError()
    {
        using var net = new TestNetwork(addresses: false);
        var error = net.Run(() => Assert.Throws<InterfaceNotFoundException>(() => PacketCapture.Open(LiveCapture.Options("nosuch0"))));
        Assert.That(error!.Message, Does.Contain("'nosuch0'"));
        var byIndex = net.Run(() => Assert.Throws<InterfaceNotFoundException>(() => PacketCapture.Open(new PacketCaptureOptions { InterfaceIndex = 9999 })));
        Assert.That(byIndex!.Message, Does.Contain("#9999"));
    }

    [Test]
    public void AnInterfaceThatIsDownIsReportedAsDown()
    {
        using var net = new TestNetwork(addresses: false);
        net.Exec($"ip link set {net.InnerB} down");
        var error = net.Run(() => Assert.Throws<InterfaceDownException>(() => PacketCapture.Open(LiveCapture.Options(net.InnerB))));
        Assert.That(error!.Message, Does.Contain(net.InnerB).And.Contain("down"));
        Assert.That(error.Call, Is.EqualTo("bind(AF_PACKET)"));
    }

    [Test]
    public void ARingTooLargeIsRefusedBeforeTheKernelTriesToAllocateIt()
    {
        using var net = new TestNetwork(addresses: false);
        var error = net.Run(() => Assert.Throws<RingAllocationException>(() =>
        {
            var options = LiveCapture.Options(net.InnerB);
            options.RingSize = 8L << 30;
            PacketCapture.Open(options);
        }));
        Assert.That(error!.Message, Does.Contain("too large").And.Contain(net.InnerB));
    }

    [Test]
    public void WithoutCapNetRawTheErrorSaysWhatIsNeeded()
    {
        using var net = new TestNetwork(addresses: false);
        var error = net.Run(() =>
        {
            ThreadCapabilities.DropEffective(ThreadCapabilities.NetRaw);
            return Assert.Throws<CapturePermissionException>(() => PacketCapture.Open(LiveCapture.Options(net.InnerB)));
        });
        Assert.That(error!.Message, Does.Contain("needs CAP_NET_RAW: run as root or grant the capability"));
        Assert.That(error.Call, Is.EqualTo("socket(AF_PACKET)"));
    }

    [TestCase(Errno.EPERM, typeof(CapturePermissionException), "needs CAP_NET_RAW")]
    [TestCase(Errno.EACCES, typeof(CapturePermissionException), "needs CAP_NET_RAW")]
    [TestCase(Errno.ENODEV, typeof(InterfaceNotFoundException), "no interface 'eth9'")]
    [TestCase(Errno.ENETDOWN, typeof(InterfaceDownException), "is down")]
    [TestCase(Errno.ENOMEM, typeof(RingAllocationException), "too large")]
    [TestCase(Errno.EINVAL, typeof(LinuxCaptureException), "errno 22")]
    public void ErrnoValuesBecomeExceptionsThatNameTheCall(int errno, Type type, string text)
    {
        var error = Errno.ToException("setsockopt(PACKET_RX_RING)", errno, "eth9");
        Assert.That(error, Is.TypeOf(type));
        Assert.That(error.Message, Does.StartWith("setsockopt(PACKET_RX_RING) failed").And.Contain(text));
        Assert.That(error.ErrorNumber, Is.EqualTo(errno));
    }
}
