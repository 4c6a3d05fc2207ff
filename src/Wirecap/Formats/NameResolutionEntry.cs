using System.Net;

namespace Wirecap.Formats;

/// <summary>One record of a pcapng Name Resolution Block: an address and the names it resolves to.</summary>
/// <param name="Address">The IPv4 or IPv6 address.</param>
/// <param name="Names">The host names recorded for it.</param>
public sealed record NameResolutionEntry(IPAddress Address, IReadOnlyList<string> Names);
