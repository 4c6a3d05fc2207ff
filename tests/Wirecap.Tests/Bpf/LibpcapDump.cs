using Wirecap.Bpf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// libpcap's own bpf_dump() (tcpdump -d/-dd/-ddd) through native-shims/bpf-dump.c.
/// </summary>
public static class LibpcapDump
{
    public static string Dump(ReadOnlySpan<BpfInstruction> program, BpfTextFormat format)
    {
        string input = BpfDisassembler.Format(program, BpfTextFormat.Decimal);
        int option = format switch { BpfTextFormat.Listing => 1, BpfTextFormat.CArray => 2, _ => 3 };
        return Tool.RunOk(NativeShim.Path("bpf-dump"), option.ToString(), input);
    }
}
