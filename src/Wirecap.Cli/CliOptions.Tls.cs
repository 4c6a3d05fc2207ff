using System.Security.Cryptography;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary>Mutual TLS for the pcapng stream (<c>--send tcp:</c>, <c>--listen tcp:</c>): this end's certificate and key,
/// and the CA that must vouch for the other end. NATS has its own (<c>--nats-tls-*</c>).</summary>
internal sealed partial class CliOptions
{
    /// <summary>--tls-cert FILE: the certificate (PEM) this end presents.</summary>
    public string? TlsCert { get; set; }
    /// <summary>--tls-key FILE: its private key (PEM).</summary>
    public string? TlsKey { get; set; }
    /// <summary>--tls-ca FILE: the CA (PEM) the other end's certificate must chain to.</summary>
    public string? TlsCa { get; set; }

    /// <summary>Any --tls-* was given.</summary>
    public bool UsesTls => TlsCert is not null || TlsKey is not null || TlsCa is not null;

    private static CliOption[] TlsTable =>
    [
        new(null, "tls-cert", "FILE", "the certificate (PEM) this end presents; --listen tcp then refuses every sender without a certificate from --tls-ca", (o, v) => o.TlsCert = v, Detail: true),
        new(null, "tls-key", "FILE", "the private key (PEM) of --tls-cert", (o, v) => o.TlsKey = v, Detail: true),
        new(null, "tls-ca", "FILE", "the CA (PEM) that must vouch for the other end's certificate (the system's roots are not used)", (o, v) => o.TlsCa = v, Detail: true),
    ];

    /// <summary>The three --tls-* go together, and only with a pcapng stream to send or collect.</summary>
    public void RequireTcpStreamForTls()
    {
        if (IdleTimeoutSeconds is not null && Listen is not { Protocol: "tcp" })
            throw new CliUsageException("--idle-timeout applies to --listen tcp only");
        if (!UsesTls) return;
        if (TcpSend is null && Listen is not { Protocol: "tcp" })
            throw new CliUsageException(NatsSend is not null || NatsListen is not null
                ? "--tls-cert, --tls-key and --tls-ca apply to --send tcp and --listen tcp; NATS takes --nats-tls-ca, --nats-tls-cert and --nats-tls-key"
                : "--tls-cert, --tls-key and --tls-ca apply to --send tcp and --listen tcp only");
        var missing = new[] { ("--tls-cert", TlsCert), ("--tls-key", TlsKey), ("--tls-ca", TlsCa) }.Where(o => o.Item2 is null).Select(o => o.Item1).ToList();
        if (missing.Count > 0)
            throw new CliUsageException($"TLS needs --tls-cert, --tls-key and --tls-ca together (this end's certificate, its key, the CA for the other end): {string.Join(" and ", missing)} missing");
    }

    /// <summary>The TLS of --tls-*, loaded, or null without them.</summary>
    /// <exception cref="IOException">A file cannot be read or holds no usable certificate or key (the message says which).</exception>
    public CaptureTls? LoadTls()
    {
        if (!UsesTls) return null;
        try
        {
            return CaptureTls.FromPemFiles(TlsCert!, TlsKey!, TlsCa!);
        }
        catch (CryptographicException e)
        {
            throw new IOException(e.Message, e);
        }
    }
}
