using System.Globalization;
using NATS.Client.Core;

namespace Wirecap.Cli;

/// <summary>The options of NATS JetStream export and collection (<c>--send nats://</c>, <c>--listen nats://</c>).</summary>
internal sealed partial class CliOptions
{
    /// <summary>--send nats://HOST:PORT/SUBJECT.</summary>
    public NatsTarget? NatsSend { get; set; }
    /// <summary>--listen nats://HOST:PORT/SUBJECT.</summary>
    public NatsTarget? NatsListen { get; set; }
    /// <summary>--replicas N: copies of the stream --send creates.</summary>
    public int? Replicas { get; set; }
    /// <summary>--durable NAME: the consumer --listen nats reads through.</summary>
    public string Durable { get; set; } = "wirecap";
    /// <summary>--nats-creds FILE: a NATS credentials file (user JWT and NKey seed).</summary>
    public string? NatsCreds { get; set; }
    /// <summary>--nats-user USER:PASSWORD.</summary>
    public (string User, string Password)? NatsUser { get; set; }
    /// <summary>--nats-tls-ca FILE: TLS to the server, verified against this CA.</summary>
    public string? NatsTlsCa { get; set; }
    /// <summary>--nats-tls-cert FILE and --nats-tls-key FILE: a client certificate for the server.</summary>
    public string? NatsTlsCert { get; set; }
    public string? NatsTlsKey { get; set; }

    private static CliOption[] NatsTable =>
    [
        new(null, "replicas", "N", "--send nats: create the subject's stream, if missing, with N copies (default 1)", (o, v) => o.Replicas = (int)ParsePositive(v, "--replicas"), Detail: true),
        new(null, "durable", "NAME", "--listen nats: the durable consumer to read through (default wirecap)", (o, v) => o.Durable = v, Detail: true),
        new(null, "nats-creds", "FILE", "NATS credentials file (JWT and NKey seed)", (o, v) => o.NatsCreds = v, Detail: true),
        new(null, "nats-user", "USER:PASSWORD", "NATS user and password", (o, v) => o.NatsUser = ParseUser(v), Detail: true),
        new(null, "nats-tls-ca", "FILE", "TLS to the NATS server, verified against the CA in FILE", (o, v) => o.NatsTlsCa = v, Detail: true),
        new(null, "nats-tls-cert", "FILE", "client certificate (PEM) for NATS TLS", (o, v) => o.NatsTlsCert = v, Detail: true),
        new(null, "nats-tls-key", "FILE", "private key (PEM) of --nats-tls-cert", (o, v) => o.NatsTlsKey = v, Detail: true),
    ];

    private static (string, string) ParseUser(string value)
    {
        int colon = value.IndexOf(':');
        return colon > 0 ? (value[..colon], value[(colon + 1)..]) : throw new CliUsageException("--nats-user takes USER:PASSWORD");
    }

    /// <summary>The client's options for <paramref name="target"/>, with the credentials and TLS given.</summary>
    public NatsOpts NatsOptions(NatsTarget target)
    {
        if ((NatsTlsCert is null) != (NatsTlsKey is null)) throw new CliUsageException("--nats-tls-cert and --nats-tls-key go together");
        bool tls = NatsTlsCa is not null || NatsTlsCert is not null;
        return NatsOpts.Default with
        {
            Url = target.Url,
            Name = string.Create(CultureInfo.InvariantCulture, $"wirecap-{Environment.ProcessId}"),
            AuthOpts = NatsAuthOpts.Default with
            {
                CredsFile = NatsCreds,
                Username = NatsUser?.User,
                Password = NatsUser?.Password,
            },
            TlsOpts = tls
                ? NatsTlsOpts.Default with { Mode = TlsMode.Require, CaFile = NatsTlsCa, CertFile = NatsTlsCert, KeyFile = NatsTlsKey }
                : NatsTlsOpts.Default,
        };
    }
}
