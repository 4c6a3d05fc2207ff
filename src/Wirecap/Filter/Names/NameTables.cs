using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace Wirecap.Filter;

/// <summary>
/// An <see cref="IFilterNameResolver"/> over tables in the formats of <c>/etc/hosts</c>,
/// <c>/etc/ethers</c>, <c>/etc/networks</c>, <c>/etc/services</c> and <c>/etc/protocols</c>.
/// Names are matched case-insensitively; <c>#</c> starts a comment.
/// </summary>
public sealed class NameTables : IFilterNameResolver
{
    private readonly Dictionary<string, List<IPAddress>> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PhysicalAddress> _ethers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, uint> _networks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string, string), int> _services = new();
    private readonly Dictionary<string, int> _protocols = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds entries in <c>/etc/hosts</c> format: <c>address name [alias…]</c>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <returns>This instance.</returns>
    public NameTables AddHosts(string text)
    {
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out var address))
                continue;
            foreach (var name in fields.Skip(1))
            {
                if (!_hosts.TryGetValue(name, out var list))
                    _hosts[name] = list = [];
                if (!list.Contains(address))
                    list.Add(address);
            }
        }
        return this;
    }

    /// <summary>Adds entries in <c>/etc/ethers</c> format: <c>aa:bb:cc:dd:ee:ff name</c>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <returns>This instance.</returns>
    public NameTables AddEthers(string text)
    {
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2)
                continue;
            var parts = fields[0].Split(':', '-');
            if (parts.Length != 6)
                continue;
            var bytes = new byte[6];
            var ok = true;
            for (var i = 0; i < 6; i++)
                ok &= byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]);
            if (ok)
                _ethers.TryAdd(fields[1], new PhysicalAddress(bytes));
        }
        return this;
    }

    /// <summary>Adds entries in <c>/etc/networks</c> format: <c>name number [alias…]</c>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <returns>This instance.</returns>
    public NameTables AddNetworks(string text)
    {
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2 || ParseNetworkNumber(fields[1]) is not { } number)
                continue;
            _networks.TryAdd(fields[0], number);
            foreach (var alias in fields.Skip(2))
                _networks.TryAdd(alias, number);
        }
        return this;
    }

    /// <summary>Adds entries in <c>/etc/services</c> format: <c>name port/protocol [alias…]</c>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <returns>This instance.</returns>
    public NameTables AddServices(string text)
    {
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2)
                continue;
            var slash = fields[1].IndexOf('/');
            if (slash <= 0 || !int.TryParse(fields[1][..slash], out var port))
                continue;
            var protocol = fields[1][(slash + 1)..].ToLowerInvariant();
            foreach (var name in fields.Where((_, i) => i != 1))
                _services.TryAdd((name.ToLowerInvariant(), protocol), port);
        }
        return this;
    }

    /// <summary>Adds entries in <c>/etc/protocols</c> format: <c>name number [alias…]</c>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <returns>This instance.</returns>
    public NameTables AddProtocols(string text)
    {
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2 || !int.TryParse(fields[1], out var number))
                continue;
            foreach (var name in fields.Where((_, i) => i != 1))
                _protocols.TryAdd(name, number);
        }
        return this;
    }

    /// <inheritdoc />
    public IReadOnlyList<IPAddress> ResolveHost(string name) =>
        _hosts.TryGetValue(name, out var list) ? list : [];

    /// <inheritdoc />
    public PhysicalAddress? ResolveEthernet(string name) => _ethers.GetValueOrDefault(name);

    /// <inheritdoc />
    public uint? ResolveNetwork(string name) => _networks.TryGetValue(name, out var n) ? n : null;

    /// <inheritdoc />
    public int? ResolveService(string name, string protocol) =>
        _services.TryGetValue((name.ToLowerInvariant(), protocol), out var port) ? port : null;

    /// <inheritdoc />
    public int? ResolveProtocol(string name) => _protocols.TryGetValue(name, out var n) ? n : null;

    /// <summary>Parses a network number as <c>inet_network</c> does: 1–4 dotted parts, right-aligned.</summary>
    private static uint? ParseNetworkNumber(string text)
    {
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4)
            return null;
        uint value = 0;
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                return null;
            value = (value << 8) | b;
        }
        return value;
    }

    private static IEnumerable<string[]> Lines(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw[..hash] : raw;
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
                yield return fields;
        }
    }
}
