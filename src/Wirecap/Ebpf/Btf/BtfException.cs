namespace Wirecap.Ebpf.Btf;

/// <summary>
/// A BTF blob is malformed or a lookup in it failed: the message names the file (or "BTF blob"), the
/// type id or name, and the byte offset where that applies.
/// </summary>
public sealed class BtfException : Exception
{
    /// <summary>Creates the exception with a message that says what and where.</summary>
    public BtfException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public BtfException(string message, Exception inner) : base(message, inner) { }
}
