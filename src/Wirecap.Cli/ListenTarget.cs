using System.Globalization;
using System.Net;

namespace Wirecap.Cli;

/// <summary>What <c>--listen PROTOCOL:[ADDR:]PORT</c> names. Without an address a listener binds loopback only
/// (127.0.0.1): a collector on every address with nothing checking who sends is opt-in, and warned about.</summary>
/// <param name="Protocol">udp (NCAP datagrams), tcp (pcap/pcapng streams) or zephyr (frames in UDP datagrams).</param>
/// <param name="Endpoint">The address and port to bind.</param>
internal sealed record ListenTarget(string Protocol, IPEndPoint Endpoint)
{
    /// <summary>Zephyr's net_capture tunnels to UDP port 4242 unless configured otherwise.</summary>
    public const int ZephyrDefaultPort = 4242;

    public const string Syntax = "udp|tcp|zephyr:[ADDR:]PORT";

    public static ListenTarget Parse(string value)
    {
        int colon = value.IndexOf(':');
        string protocol = (colon < 0 ? value : value[..colon]).ToLowerInvariant();
        if (protocol is not ("udp" or "tcp" or "zephyr")) throw Invalid(value);
        if (colon < 0)
            return protocol == "zephyr" ? new(protocol, new IPEndPoint(IPAddress.Loopback, ZephyrDefaultPort)) : throw Invalid(value);
        return new(protocol, ParseEndpoint(value[(colon + 1)..], value));
    }

    /// <summary><c>PORT</c>, <c>A.B.C.D:PORT</c> or <c>[IPV6]:PORT</c>; no address is 127.0.0.1.</summary>
    private static IPEndPoint ParseEndpoint(string text, string whole)
    {
        IPAddress address = IPAddress.Loopback;
        string port = text;
        int colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            string host = text[..colon];
            bool bracketed = host.StartsWith('[') && host.EndsWith(']');
            if (!bracketed && host.Contains(':'))
                throw new CliUsageException($"invalid listen address '{whole}': write an IPv6 address in brackets, [ADDR]:PORT");
            if (!IPAddress.TryParse(bracketed ? host[1..^1] : host, out var parsed))
                throw new CliUsageException($"invalid listen address '{whole}': '{host}' is not an IP address");
            address = parsed;
            port = text[(colon + 1)..];
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535) throw Invalid(whole);
        return new IPEndPoint(address, number);
    }

    /// <summary>Whether a sender on another host can reach this listener.</summary>
    public bool IsExposed => !IPAddress.IsLoopback(Endpoint.Address);

    /// <summary>The endpoint as written on the command line.</summary>
    public string Describe(int boundPort) => $"{Protocol}:{new IPEndPoint(Endpoint.Address, boundPort)}";

    /// <summary>Says on standard error that anyone who can reach a non-loopback address can send to it.</summary>
    public Task WarnIfExposedAsync(TextWriter stderr, bool authenticated) =>
        IsExposed && !authenticated
            ? stderr.WriteLineAsync($"wirecap: warning: listening on {Endpoint.Address} without TLS: anyone who can reach it can send captures here")
            : Task.CompletedTask;

    private static CliUsageException Invalid(string value) => new($"invalid listen address '{value}' ({Syntax})");
}
