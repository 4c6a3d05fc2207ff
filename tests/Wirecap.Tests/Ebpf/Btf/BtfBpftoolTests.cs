using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Wirecap.Ebpf.Btf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>The reader against bpftool (libbpf's parser) and gcc, on the running kernel's BTF.</summary>
public class BtfBpftoolTests : TempDirectoryFixture
{
    [Test]
    public void EveryTypeMemberParameterAndEnumValueReadsAsBpftoolDumpsIt()
    {
        var btf = KernelBtf.Require();
        var expected = BpftoolRawFormat.Comparable(KernelBtf.RawDump());
        var actual = new StringBuilder(expected.Length);
        foreach (var type in btf.All) BpftoolRawFormat.Append(actual, type);

        var want = expected.Split('\n');
        var got = actual.ToString().Split('\n');
        for (int i = 0; i < Math.Min(want.Length, got.Length); i++)
            if (want[i] != got[i]) Assert.Fail($"line {i + 1} differs from bpftool:\n  bpftool: {want[i]}\n  ours:    {got[i]}");
        Assert.That(got.Length, Is.EqualTo(want.Length), "number of lines");
        Assert.That(btf.Count - 1, Is.EqualTo(want.Count(l => l.StartsWith('['))), "number of types");
    }

    [Test]
    public void SkBuffNetDeviceAndNetOffsetsEqualWhatGccComputesFromBpftoolsCHeader()
    {
        var btf = KernelBtf.Require();
        Tool.Require("gcc");
        (string Struct, string Path)[] fields =
        [
            ("sk_buff", "head"), ("sk_buff", "data"), ("sk_buff", "len"), ("sk_buff", "data_len"), ("sk_buff", "mac_len"),
            ("sk_buff", "mac_header"), ("sk_buff", "network_header"), ("sk_buff", "transport_header"), ("sk_buff", "protocol"),
            ("sk_buff", "dev"), ("sk_buff", "mark"), ("sk_buff", "tstamp"), ("sk_buff", "end"), ("sk_buff", "tail"), ("sk_buff", "sk"),
            ("net_device", "ifindex"), ("net_device", "nd_net"), ("net_device", "nd_net.net"), ("net_device", "name"),
            ("net", "ns"), ("net", "ns.inum"), ("possible_net_t", "net"),
        ];
        File.WriteAllText(Path.Combine(TempDir, "vmlinux.h"), KernelBtf.CDump());
        // vmlinux.h defines the kernel's own size_t and wchar_t, so no libc headers beside it
        var program = new StringBuilder("#include \"vmlinux.h\"\nint printf(const char *, ...);\nint main(void) {\n");
        foreach (var (s, p) in fields)
            program.Append($"  printf(\"{s}.{p} %lu %lu\\n\", (unsigned long)__builtin_offsetof({CName(btf, s)}, {p}), (unsigned long)sizeof((({CName(btf, s)} *)0)->{p}));\n");
        foreach (var s in new[] { "sk_buff", "net_device", "net" })
            program.Append($"  printf(\"sizeof {s} %lu\\n\", (unsigned long)sizeof(struct {s}));\n");
        program.Append("  return 0;\n}\n");
        File.WriteAllText(Path.Combine(TempDir, "offsets.c"), program.ToString());
        Tool.RunOk("gcc", $"-w -o {TempDir}/offsets {TempDir}/offsets.c");
        var fromGcc = Tool.RunOk($"{TempDir}/offsets", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var ours = fields.Select(f =>
        {
            var field = btf.FindField(f.Struct, f.Path);
            return $"{f.Struct}.{f.Path} {field.ByteOffset} {field.Size}";
        }).Concat(new[] { "sk_buff", "net_device", "net" }.Select(s => $"sizeof {s} {btf.Find(BtfKind.Struct, s).Size}"));
        Assert.That(ours, Is.EqualTo(fromGcc));
    }

    [Test]
    public void TracepointPrototypesAndTheirSkbArgumentMatchBpftoolsCHeader()
    {
        var btf = KernelBtf.Require();
        // typedef void (*btf_trace_netif_receive_skb)(void *, struct sk_buff *);
        var typedef = new Regex(@"^typedef void \(\*btf_trace_(\w+)\)\((.*)\);$", RegexOptions.Multiline);
        var fromC = typedef.Matches(KernelBtf.CDump()).ToDictionary(m => m.Groups[1].Value, m => TopLevelArguments(m.Groups[2].Value));
        var ours = btf.Tracepoints.ToDictionary(t => t.Name);

        Assert.That(ours.Keys.Order(), Is.EqualTo(fromC.Keys.Order()), "tracepoint names");
        Assert.That(ours.Count, Is.GreaterThan(100));
        foreach (var (name, arguments) in fromC)
        {
            var tracepoint = ours[name];
            Assert.That(arguments[0], Is.EqualTo("void *"), name);
            Assert.That(tracepoint.Arguments, Has.Count.EqualTo(arguments.Count - 1), $"{name}: argument count");
            int skb = arguments.Skip(1).ToList().FindIndex(a => a == "struct sk_buff *" || a == "const struct sk_buff *");
            Assert.That(tracepoint.IndexOfPointerTo("sk_buff"), Is.EqualTo(skb), $"{name}: index of the sk_buff argument in ({string.Join(", ", arguments)})");
        }
    }

    private static string CName(BtfTypes btf, string name) => btf.TryFind(BtfKind.Struct, name, out _) ? $"struct {name}" : name;

    /// <summary>Splits "void *, struct sk_buff *, int (*)(void *, int)" at its top-level commas.</summary>
    private static List<string> TopLevelArguments(string list)
    {
        var arguments = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] == '(') depth++;
            else if (list[i] == ')') depth--;
            else if (list[i] == ',' && depth == 0)
            {
                arguments.Add(list[start..i].Trim());
                start = i + 1;
            }
        }
        arguments.Add(list[start..].Trim());
        return arguments;
    }
}
