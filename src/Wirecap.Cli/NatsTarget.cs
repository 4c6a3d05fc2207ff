using System.Globalization;

namespace Wirecap.Cli;

/// <summary>What <c>nats://HOST:PORT/SUBJECT</c> names: a server to connect to (the client learns the rest of the
/// cluster from it) and the subject the capture is published on.</summary>
internal sealed record NatsTarget(string Host, int Port, string Subject)
{
    public const string Syntax = "nats://HOST:PORT/SUBJECT";

    public string Url => $"nats://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    public static bool Names(string value) => value.StartsWith("nats://", StringComparison.OrdinalIgnoreCase);

    public static NatsTarget Parse(string value, string option)
    {
        string rest = value["nats://".Length..];
        int slash = rest.IndexOf('/');
        string authority = slash < 0 ? rest : rest[..slash];
        string subject = slash < 0 ? "" : rest[(slash + 1)..];
        int colon = authority.LastIndexOf(':');
        string host = colon > 0 ? authority[..colon].Trim('[', ']') : "";
        if (host.Length == 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new CliUsageException($"invalid NATS server in '{value}' for {option} ({Syntax})");
        if (subject.Length == 0 || subject.Contains(' ') || subject.Contains('*') || subject.Contains('>') || subject.StartsWith('.') || subject.EndsWith('.') || subject.Contains(".."))
            throw new CliUsageException($"invalid subject in '{value}' for {option}: one subject, tokens separated by '.', no wildcards");
        return new NatsTarget(host, port, subject);
    }
}
