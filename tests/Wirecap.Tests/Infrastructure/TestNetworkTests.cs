using NUnit.Framework;

namespace Wirecap.Tests.Infrastructure;

public class TestNetworkTests
{
    [Test]
    public void NamespaceHasItsVethPairAndIsRemovedOnDispose()
    {
        string name;
        using (var net = new TestNetwork())
        {
            name = net.Name;
            var links = net.Exec("ip -o link show");
            Assert.That(links, Does.Contain(net.InnerA).And.Contain(net.InnerB));
            var threadView = net.Run(() => File.ReadAllText("/proc/thread-self/net/dev"));
            Assert.That(threadView, Does.Contain(net.InnerA), "code run through Run() sees the namespace's devices");
            Assert.That(net.Exec($"ip -o addr show dev {net.InnerB}"), Does.Contain(net.AddressB));
        }
        Assert.That(Tool.RunOk("ip", "netns list"), Does.Not.Contain(name));
    }
}
