using System.Net;

namespace Wirecap.Sinks;

/// <summary>What a collector received on one connection.</summary>
/// <param name="Remote">The sender.</param>
/// <param name="Path">The file the packets were written to.</param>
/// <param name="Packets">Packets received and written.</param>
/// <param name="Error">Why the stream ended early (a malformed or cut stream), or null for a clean end.</param>
public sealed record CollectedStream(EndPoint? Remote, string Path, long Packets, Exception? Error);
