using NUnit.Framework;
using System.Text.Json;
using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// One test of the kernel's lib/test_bpf.c classic suite, from TestData/kernel-bpf-vectors.jsonl
/// (written by TestData/tools/convert-kernel-bpf-vectors.py; the format is described there).
/// </summary>
public sealed record KernelVector(int Test, string Name, BpfInstruction[] Program, byte[] Data, byte[]? Fragment,
    (int Length, uint Expected)[] Vectors, string? Reject, bool UsesSkb)
{
    public override string ToString() => $"#{Test} {Name}";

    private static readonly Lazy<IReadOnlyList<KernelVector>> s_all = new(Load);

    public static IReadOnlyList<KernelVector> All => s_all.Value;

    public static IEnumerable<KernelVector> Runnable => All.Where(v => v.Reject is null);

    public static IEnumerable<KernelVector> Rejected => All.Where(v => v.Reject is not null);

    /// <summary>The skb test_bpf's populate_skb() builds for a packet of <paramref name="length"/> bytes.</summary>
    public BpfContext Context(int length) => new()
    {
        Protocol = 0x0800,
        PacketType = LinuxPacketType.OtherHost,
        Mark = 0x1234aaaa,
        ReceiveHash = 0x1234aaab,
        Queue = 123,
        VlanTci = 0xffff,
        VlanTagPresent = true,
        VlanTpid = 0x0800,
        InterfaceIndex = 577,
        HardwareType = 588,
        Cpu = 1, // the kernel harness runs a test on one CPU; a fixed value keeps CPU differences at 0
        LinkLayerHeaderOffset = 0,
        NetworkHeaderOffset = Math.Min(length, 14),
        LinearLength = Fragment is null ? 0 : length,
    };

    private static IReadOnlyList<KernelVector> Load()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "kernel-bpf-vectors.jsonl");
        return File.ReadLines(path).Where(l => l.Length > 0).Select(Parse).NonEmpty($"kernel BPF test vectors in {path}");
    }

    private static KernelVector Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        var program = new List<BpfInstruction>();
        foreach (JsonElement item in root.GetProperty("program").EnumerateArray())
        {
            string[] parts = item.GetString()!.Split(' ');
            var insn = new BpfInstruction(ushort.Parse(parts[0]), byte.Parse(parts[1]), byte.Parse(parts[2]), uint.Parse(parts[3]));
            int repeat = parts.Length > 4 ? int.Parse(parts[4].TrimStart('*')) : 1;
            program.AddRange(Enumerable.Repeat(insn, repeat));
        }
        byte[] data = root.TryGetProperty("data", out JsonElement d) ? Convert.FromHexString(d.GetString()!) : [];
        byte[]? fragment = root.TryGetProperty("fragment", out JsonElement f) ? Convert.FromHexString(f.GetString()!) : null;
        var vectors = root.TryGetProperty("vectors", out JsonElement v)
            ? v.EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetUInt32())).ToArray()
            : [];
        string? reject = root.TryGetProperty("reject", out JsonElement r) ? r.GetString() : null;
        bool skb = root.TryGetProperty("skb", out JsonElement s) && s.GetBoolean();
        return new KernelVector(root.GetProperty("test").GetInt32(), root.GetProperty("name").GetString()!,
            program.ToArray(), data, fragment, vectors, reject, skb);
    }
}
