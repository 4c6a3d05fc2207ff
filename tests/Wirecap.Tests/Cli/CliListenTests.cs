using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>--listen picks its command in one place, so every protocol refuses -i and -r alike.</summary>
public class CliListenTests
{
    [TestCase("udp:0")]
    [TestCase("tcp:0")]
    [TestCase("zephyr:0")]
    [TestCase("nats://127.0.0.1:1/captures")]
    public void EveryListenerRefusesAnInterfaceAndAFile(string listen)
    {
        var withInterface = CliRunner.Run(["--listen", listen, "-i", "lo", "-c", "1"]);
        Assert.That(withInterface.ExitCode, Is.EqualTo(2), withInterface.StdErr);
        Assert.That(withInterface.StdErr, Does.Contain("--listen receives captures from the network; it takes no -i"));

        var withFile = CliRunner.Run(["--listen", listen, "-r", "samples/none.pcap"]);
        Assert.That(withFile.ExitCode, Is.EqualTo(2), withFile.StdErr);
        Assert.That(withFile.StdErr, Does.Contain("--listen and -r cannot be combined"));
    }

    [Test]
    public void ListingInterfacesRefusesListenRatherThanIgnoringIt()
    {
        // -D lists and exits; a --listen beside it would do nothing, so it is refused by name (CliOptionPairsTests).
        var result = CliRunner.Run(["-D", "--listen", "zephyr"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StdErr, Does.Contain("-D lists the interfaces and exits; --listen does not apply to it"));
        Assert.That(CliRunner.Run(["-D"]).StdOut, Does.Contain("lo"));
    }

    [Test]
    public void AZephyrListenerThatCannotBindNamesItsEndpoint()
    {
        using var taken = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var result = CliRunner.Run(["--listen", $"zephyr:{port}", "-c", "1"]);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdErr);
        Assert.That(result.StdErr, Does.StartWith($"wirecap: zephyr:127.0.0.1:{port}: "));
    }
}
