namespace Wirecap.Formats;

/// <summary>A pcapng Decryption Secrets Block: keys (a TLS key log, WireGuard keys...) for the packets after it.</summary>
public sealed class DecryptionSecrets : CaptureBlock
{
    /// <summary>The secrets type (0x544c534b TLS key log, 0x57474b4c WireGuard, ...).</summary>
    public uint SecretsType { get; init; }

    /// <summary>The secrets, as the block holds them.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Other options of the block (custom options), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];
}
