using System.Net;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary><c>--send tcp</c> and <c>--listen tcp</c> with <c>--tls-cert/--tls-key/--tls-ca</c>, end to end through the
/// command line, checked with tcpdump and capinfos; and the option combinations that are refused.</summary>
public sealed class CliTlsTests : TempDirectoryFixture
{
    private static readonly TestCertificates Authority = new("wirecap-cli");


    [Test]
    public void ASampleSentOverTlsIsCollectedWholeAndAPlainSenderIsRefused()
    {
        Tool.Require("tcpdump");
        Tool.Require("capinfos");
        int port = PortWaiter.FreeTcpPort();
        string output = Path.Combine(TempDir, "collected.pcapng");
        string[] collector = Authority.WritePem(TempDir, "collector", server: true);
        string[] sender = Authority.WritePem(TempDir, "sender", server: false);
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"tcp:127.0.0.1:{port}", "-w", output, .. collector]));
        PortWaiter.WaitUntilBound(port, tcp: true, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);

        // Without a certificate, or with one of another CA: refused, and -w FILE still waits for a stream it may keep.
        CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{port}"]);
        string[] intruder = new TestCertificates("intruder-cli").WritePem(TempDir, "intruder", server: false, trusted: Authority);
        // The intruder may or may not learn it (a short stream can be sent and closed before the reset reaches it);
        // the collector's refusal, below, is what counts.
        CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{port}", .. intruder]);
        var sent = CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{port}", .. sender]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        Assert.That(sent.StdErr, Does.Contain($"sent to tcp:127.0.0.1:{port} over TLS"));
        Assert.That(listening.Wait(TimeSpan.FromSeconds(30)), Is.True, "the listener did not stop after one stream");
        var listened = listening.Result;
        Assert.That(listened.ExitCode, Is.Zero, listened.StdErr);
        Assert.That(listened.StdErr, Does.Contain("over TLS").And.Not.Contain("warning"));
        Assert.That(listened.StdErr, Does.Match(@"refused 127\.0\.0\.1:\d+: TLS: no TLS handshake"));
        Assert.That(listened.StdErr, Does.Match(@"refused 127\.0\.0\.1:\d+: TLS: the client's certificate CN=intruder is not vouched for by the trusted CA"));
        Assert.That(listened.StdErr, Does.Contain("2 streams refused and 0 cut"));

        var expected = Tool.RunOk("tcpdump", $"-n -r {Repository.SamplePath}");
        Assert.That(Tool.RunOk("tcpdump", $"-n -r {output}"), Is.EqualTo(expected), "tcpdump reads the same packets");
        Assert.That(CapinfosCount(output), Is.EqualTo(CapinfosCount(Repository.SamplePath)));
        Assert.That(Directory.GetFiles(TempDir).Where(f => f.Contains("collected")), Is.EqualTo(new[] { output }), "nothing else was left");
    }

    private static string CapinfosCount(string path) =>
        Tool.RunOk("capinfos", $"-c -M {path}").Split('\n').Single(l => l.StartsWith("Number of packets", StringComparison.Ordinal)).Split(':')[1].Trim();

    [Test]
    public async Task ASenderRefusesACollectorTheAuthorityDidNotIssue()
    {
        var stranger = new TestCertificates("stranger-cli");
        await using var impostor = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(TempDir, "in"),
            new TcpCaptureCollectorOptions { Tls = stranger.Tls("impostor", server: true, trusted: Authority) });
        impostor.Start();
        string[] sender = Authority.WritePem(TempDir, "sender", server: false);
        var sent = CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{impostor.LocalEndpoint.Port}", .. sender]);
        Assert.That(sent.ExitCode, Is.EqualTo(1));
        Assert.That(sent.StdErr, Does.Contain("the collector's certificate CN=impostor is not vouched for by the trusted CA"));
    }

    [TestCase("--tls-cert", "TLS needs --tls-cert, --tls-key and --tls-ca together", "--tls-key and --tls-ca missing")]
    [TestCase("--tls-key", "TLS needs --tls-cert, --tls-key and --tls-ca together", "--tls-cert and --tls-ca missing")]
    [TestCase("--tls-cert --tls-key", "TLS needs --tls-cert, --tls-key and --tls-ca together", "--tls-ca missing")]
    public void HalfTheTlsOptionsAreRefused(string given, string message, string missing)
    {
        var arguments = new List<string> { "-r", Repository.SamplePath, "--send", "tcp:127.0.0.1:9" };
        foreach (var option in given.Split(' ')) arguments.AddRange([option, Repository.SamplePath]);
        var run = CliRunner.Run([.. arguments]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.StdErr);
        Assert.That(run.StdErr, Does.Contain(message).And.Contain(missing));
    }

    [TestCase("--listen udp:127.0.0.1:9", "apply to --send tcp and --listen tcp only")]
    [TestCase("--listen zephyr", "apply to --send tcp and --listen tcp only")]
    [TestCase("-r SAMPLE -w OUT", "apply to --send tcp and --listen tcp only")]
    [TestCase("-r SAMPLE --send nats://127.0.0.1:4222/caps", "NATS takes --nats-tls-ca, --nats-tls-cert and --nats-tls-key")]
    public void TlsWithoutATcpStreamIsRefused(string command, string message)
    {
        var arguments = command.Replace("SAMPLE", Repository.SamplePath).Replace("OUT", Path.Combine(TempDir, "out.pcap")).Split(' ').ToList();
        arguments.AddRange(Authority.WritePem(TempDir, "any", server: false));
        var run = CliRunner.Run([.. arguments]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.StdErr);
        Assert.That(run.StdErr, Does.Contain(message));
    }

    [Test]
    public void AnIdleTimeoutOutsideATcpCollectorIsRefused()
    {
        var run = CliRunner.Run(["--listen", "udp:127.0.0.1:9", "--idle-timeout", "5"]);
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StdErr, Does.Contain("--idle-timeout applies to --listen tcp only"));
    }

    [Test]
    public void AFileThatIsNoPemCertificateIsNamedAndFailsTheRun()
    {
        string[] sender = Authority.WritePem(TempDir, "sender", server: false);
        sender[1] = Repository.SamplePath; // --tls-cert: a capture, not a certificate
        var run = CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{PortWaiter.FreeTcpPort()}", .. sender]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.StdErr);
        Assert.That(run.StdErr, Does.Contain(Repository.SamplePath).And.Contain("no PEM certificate"));
    }
}
