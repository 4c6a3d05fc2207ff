using BenchmarkDotNet.Attributes;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// Parsing the running kernel's BTF (/sys/kernel/btf/vmlinux, about 5.5 MB and 126k types): reading the
/// file, indexing every record and building the name index, then the lookups a probe makes at open time.
/// </summary>
[MemoryDiagnoser]
public class BtfParseBenchmarks
{
    private byte[] _blob = [];
    private BtfTypes _types = null!;

    [GlobalSetup]
    public void Setup()
    {
        _blob = File.ReadAllBytes(BtfTypes.VmlinuxPath);
        _types = BtfTypes.Parse(_blob);
    }

    [Benchmark(Baseline = true, Description = "Load(/sys/kernel/btf/vmlinux): read + parse + name index")]
    public int Load() => BtfTypes.Load(BtfTypes.VmlinuxPath).Count;

    [Benchmark(Description = "Parse(blob already in memory)")]
    public int Parse() => BtfTypes.Parse(_blob).Count;

    [Benchmark(Description = "open-time lookups: 3 tracepoints + 10 sk_buff/net_device/net fields")]
    public int Lookups()
    {
        int sum = 0;
        foreach (var name in new[] { "netif_receive_skb", "net_dev_start_xmit", "kfree_skb" })
            if (_types.TryFindTracepoint(name, out var tp)) sum += tp.IndexOfPointerTo("sk_buff");
        foreach (var path in new[] { "head", "data", "len", "mac_header", "network_header", "protocol", "dev", "mark" })
            sum += _types.FindField("sk_buff", path).BitOffset;
        sum += _types.FindField("net_device", "nd_net.net").BitOffset + _types.FindField("net", "ns.inum").BitOffset;
        return sum;
    }
}
