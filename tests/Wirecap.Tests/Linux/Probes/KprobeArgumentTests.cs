using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Wirecap.Ebpf.Btf;
using Wirecap.Linux.Probes;
using Wirecap.Tests.Ebpf.Btf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>
/// Where a kprobe program finds the skb: its index in the function's BTF prototype (by type, checked against bpftool's
/// dump of the same prototype) and the offset of that argument's register in <c>struct pt_regs</c> (checked against
/// what gcc computes from bpftool's C header). Needs the kernel's BTF, not privilege.
/// </summary>
public class KprobeArgumentTests : TempDirectoryFixture
{
    /// <summary>The calling conventions' argument registers, as the psABIs give them, spelt as C members of <c>struct pt_regs</c>.</summary>
    private static string[] ArgumentRegisters(Architecture architecture) => architecture switch
    {
        Architecture.X64 => ["di", "si", "dx", "cx", "r8", "r9"],
        Architecture.Arm64 => Enumerable.Range(0, 8).Select(i => $"regs[{i}]").ToArray(),
        _ => throw new IgnoreException($"no calling convention known for {architecture}"),
    };

    [Test]
    public void TheArgumentRegistersLieWhereGccPutsThemInBpftoolsPtRegs()
    {
        var btf = KernelBtf.Require();
        Tool.Require("gcc");
        var registers = ArgumentRegisters(RuntimeInformation.ProcessArchitecture);
        File.WriteAllText(Path.Combine(TempDir, "vmlinux.h"), KernelBtf.CDump());
        var program = new StringBuilder("#include \"vmlinux.h\"\nint printf(const char *, ...);\nint main(void) {\n");
        foreach (var r in registers)
            program.Append($"  printf(\"%lu\\n\", (unsigned long)__builtin_offsetof(struct pt_regs, {r}));\n");
        program.Append("  return 0;\n}\n");
        File.WriteAllText(Path.Combine(TempDir, "regs.c"), program.ToString());
        Tool.RunOk("gcc", $"-w -o {TempDir}/regs {TempDir}/regs.c");
        var fromGcc = Tool.RunOk($"{TempDir}/regs", "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(short.Parse);

        Assert.That(KprobeArguments.RegisterOffsets(btf, RuntimeInformation.ProcessArchitecture), Is.EqualTo(fromGcc));
    }

    [TestCase("ip_rcv")]
    [TestCase("ip_local_deliver_finish")]
    [TestCase("ip_finish_output2")]
    [TestCase("tcp_v4_rcv")]
    [TestCase("__netif_receive_skb_one_core")]
    public void TheSkbIsTheArgumentWhoseTypeIsStructSkBuffPointerInBpftoolsPrototype(string function)
    {
        var btf = KernelBtf.Require();
        var dump = new BpftoolPrototypes(KernelBtf.RawDump());
        if (!dump.TryFindSkbParameter(function, out int expected))
            Assert.Ignore($"this kernel's BTF has no {function} taking a struct sk_buff *");

        var target = ProbeTarget.Resolve(btf, ProbeSpec.Parse($"kprobe:{function}"));
        Assert.That(target.SkbArgument, Is.EqualTo(expected), target.Signature);
        Assert.That(target.SkbOffset, Is.EqualTo(KprobeArguments.RegisterOffsets(btf, RuntimeInformation.ProcessArchitecture)[expected]),
            "the register of that argument");
        var fentry = ProbeTarget.Resolve(btf, ProbeSpec.Parse($"fentry:{function}"));
        Assert.That((fentry.SkbArgument, fentry.SkbOffset), Is.EqualTo((expected, (short)(8 * expected))), "fentry: u64 args[]");
    }

    [Test]
    public void SomeOfThoseTakeTheSkbAfterOtherArguments()
    {
        // So that the cases above are not all argument 0: ip_local_deliver_finish(struct net *, struct sock *, struct sk_buff *).
        KernelBtf.Require();
        var dump = new BpftoolPrototypes(KernelBtf.RawDump());
        Assert.That(dump.TryFindSkbParameter("ip_local_deliver_finish", out int index) || dump.TryFindSkbParameter("ip_finish_output2", out index), Is.True);
        Assert.That(index, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void AFunctionWithoutAnSkbIsRefusedByName()
    {
        var btf = KernelBtf.Require();
        Assert.That(() => ProbeTarget.Resolve(btf, ProbeSpec.Parse("kprobe:schedule")),
            Throws.TypeOf<ProbeException>().With.Message.Contains("kprobe:schedule").And.Message.Contains("takes no struct sk_buff *"));
        Assert.That(() => ProbeTarget.Resolve(btf, ProbeSpec.Parse("kprobe:wirecap_no_such_function")),
            Throws.TypeOf<ProbeException>().With.Message.Contains("no kernel function 'wirecap_no_such_function'"));
    }

    [Test]
    public void AFunctionPassingItsSkbOnTheStackIsRefused()
    {
        var btf = KernelBtf.Require();
        int registers = ArgumentRegisters(RuntimeInformation.ProcessArchitecture).Length;
        var dump = new BpftoolPrototypes(KernelBtf.RawDump());
        // __udp4_lib_lookup(net, saddr, sport, daddr, dport, dif, sdif, udptable, skb): the skb is the ninth.
        string? function = dump.FunctionsWithSkbAtOrAfter(registers).Order(StringComparer.Ordinal).FirstOrDefault();
        if (function is null) Assert.Ignore($"no function in this kernel's BTF takes its skb after {registers} arguments");

        Assert.That(() => ProbeTarget.Resolve(btf, ProbeSpec.Parse($"kprobe:{function}")),
            Throws.TypeOf<ProbeException>().With.Message.Contains($"kprobe:{function}").And.Message.Contains("on the stack")
                .And.Message.Contains($"fentry:{function}"));
        Assert.That(ProbeTarget.Resolve(btf, ProbeSpec.Parse($"fentry:{function}")).SkbArgument, Is.GreaterThanOrEqualTo(registers),
            "fentry reads every argument");
    }

    [Test]
    public void Arm64ArgumentsAreTheFirstEightOfPtRegsRegsWhereverBtfPutsThem()
    {
        // arm64's pt_regs: the registers in u64 regs[31] inside an anonymous struct in an anonymous union.
        var b = new BtfBlobBuilder();
        int u64 = b.Int("u64", 8, 64); // 1
        int u32 = b.Int("u32", 4, 32); // 2
        int regs = b.Add("", BtfKind.Array, 0, 0, false, (uint)u64, (uint)u32, 31); // 3
        int inner = b.Composite(BtfKind.Struct, "", 256, false, ("regs", regs, 0), ("sp", u64, 31 * 64)); // 4
        int union = b.Composite(BtfKind.Union, "", 256, false, ("", inner, 0)); // 5
        b.Composite(BtfKind.Struct, "pt_regs", 272, false, ("orig", u64, 0), ("", union, 128));
        var btf = BtfTypes.Parse(b.Build(), "arm64-like BTF");

        Assert.That(KprobeArguments.RegisterOffsets(btf, Architecture.Arm64), Is.EqualTo(new short[] { 16, 24, 32, 40, 48, 56, 64, 72 }));
        Assert.That(() => KprobeArguments.RegisterOffsets(btf, Architecture.X64),
            Throws.TypeOf<ProbeException>().With.Message.Contains("struct pt_regs").And.Message.Contains("no member 'di'"));
        Assert.That(() => KprobeArguments.RegisterOffsets(btf, Architecture.Wasm),
            Throws.TypeOf<ProbeException>().With.Message.Contains("argument registers of Wasm are not known"));
    }

    /// <summary>Function prototypes as <c>bpftool btf dump file vmlinux</c> prints them (the raw form, one line per type).</summary>
    private sealed class BpftoolPrototypes
    {
        private static readonly Regex Type = new(@"^\[(\d+)\] (\w+) '([^']*)'(?: type_id=(\d+))?", RegexOptions.Multiline);
        private static readonly Regex Parameter = new(@"^\t'[^']*' type_id=(\d+)$");
        private readonly Dictionary<int, (string Kind, string Name, int Referenced, List<int> Parameters)> _types = [];
        private readonly Dictionary<string, int> _functions = [];

        public BpftoolPrototypes(string dump)
        {
            List<int>? parameters = null;
            foreach (var line in dump.Split('\n'))
            {
                var t = Type.Match(line);
                if (t.Success)
                {
                    int id = int.Parse(t.Groups[1].Value);
                    parameters = [];
                    _types[id] = (t.Groups[2].Value, t.Groups[3].Value, t.Groups[4].Success ? int.Parse(t.Groups[4].Value) : 0, parameters);
                    if (t.Groups[2].Value == "FUNC") _functions.TryAdd(t.Groups[3].Value, id);
                    continue;
                }
                var p = Parameter.Match(line);
                if (p.Success && parameters is not null) parameters.Add(int.Parse(p.Groups[1].Value));
            }
        }

        /// <summary>The index of the first parameter that is a pointer to (a const) struct sk_buff.</summary>
        public bool TryFindSkbParameter(string function, out int index)
        {
            index = -1;
            if (!_functions.TryGetValue(function, out int id)) return false;
            index = _types[_types[id].Referenced].Parameters.FindIndex(IsSkbPointer);
            return index >= 0;
        }

        public IEnumerable<string> FunctionsWithSkbAtOrAfter(int position) =>
            _functions.Keys.Where(f => TryFindSkbParameter(f, out int i) && i >= position);

        private bool IsSkbPointer(int id)
        {
            var t = Skip(id, "TYPEDEF", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG");
            if (t == 0 || _types[t].Kind != "PTR") return false;
            int pointee = Skip(_types[t].Referenced, "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG");
            return pointee != 0 && _types[pointee].Kind is "STRUCT" or "FWD" && _types[pointee].Name == "sk_buff";
        }

        private int Skip(int id, params string[] kinds)
        {
            while (id != 0 && kinds.Contains(_types[id].Kind)) id = _types[id].Referenced;
            return id;
        }
    }
}
