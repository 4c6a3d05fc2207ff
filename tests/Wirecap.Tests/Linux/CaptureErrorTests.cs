using Wirecap.Linux;
using Wirecap.Linux.Interop;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

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
        Assert.That(error!.Message, Does.Contain("too large").And.Contain(net.InnerB).And.Contain("8589934592 bytes").And.Contain("RingSize"));
        Assert.That(error.RequestedBytes, Is.EqualTo(8L << 30));
    }

    [Test]
    public void ARingTheKernelRefusesToMapIsReportedAsTooLargeWithItsSize()
    {
        Tool.Require("prlimit");
        using var net = new TestNetwork(addresses: false);
        // Under an address-space limit the runtime shrinks its own reservations to fit, leaving some room: a 1 MiB ring
        // fits in it, a 256 MiB one does not, so mmap of the ring fails with ENOMEM (after the kernel allocated it).
        var limited = $"ip netns exec {net.Name} env DOTNET_GCHeapHardLimit=0x4000000 MALLOC_ARENA_MAX=2 prlimit --as={700L << 20} " +
            $"dotnet {LiveCliTests.Cli} -i {net.InnerB}";
        using (var fits = new ReadyProcess("sh", $"-c \"exec {limited} -B 1024\"", "listening on"))
        {
            fits.Signal(15);
            Assert.That(fits.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, $"a small ring works under the same limit: {fits.Stderr}");
        }

        var (code, _, stderr) = Tool.Run("sh", $"-c \"exec {limited} -B {256 * 1024}\"", timeoutMs: 60_000);
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain($"wirecap: mmap(PACKET_RX_RING) failed on '{net.InnerB}': Cannot allocate memory: the receive ring of 268435456 bytes (256 MiB) is too large to map into this process"));
        Assert.That(stderr, Does.Contain("wirecap: the ring was 262144 KiB; ask for a smaller one with -B KiB"));
        Assert.That(stderr, Does.Not.Contain("errno"));
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

    [Test]
    public void ARingRefusalNamesTheCallTheSizeAndWhatToChange()
    {
        var allocation = RingErrors.Allocation(Errno.ENOMEM, "eth9", 64L << 20);
        Assert.That(allocation, Is.TypeOf<RingAllocationException>());
        Assert.That(allocation.Message, Does.StartWith("setsockopt(PACKET_RX_RING) failed on 'eth9'")
            .And.Contain("the receive ring of 67108864 bytes (64 MiB) is too large for the kernel to allocate").And.Contain("RingSize"));
        Assert.That(((RingAllocationException)allocation).RequestedBytes, Is.EqualTo(64L << 20));

        var mapping = RingErrors.Mapping(Errno.ENOMEM, "eth9", 3L << 20);
        Assert.That(mapping.Message, Does.StartWith("mmap(PACKET_RX_RING) failed on 'eth9'").And.Contain("3145728 bytes (3 MiB) is too large to map into this process"));

        var other = RingErrors.Allocation(Errno.EINVAL, "eth9", 1 << 20);
        Assert.That(other, Is.Not.TypeOf<RingAllocationException>(), "only a lack of memory means the ring is too large");
        Assert.That(other.Message, Does.Contain("errno 22"));
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
