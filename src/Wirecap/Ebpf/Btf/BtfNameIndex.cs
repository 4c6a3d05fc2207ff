using System.Numerics;

namespace Wirecap.Ebpf.Btf;

/// <summary>
/// Name → type ids for one blob, built without allocating a string per type: chained buckets
/// keyed by a hash of the name's UTF-8 bytes, compared against the string section on lookup.
/// Chains are built from the highest id down so each lists its ids in ascending order.
/// </summary>
internal sealed class BtfNameIndex
{
    private readonly BtfTypes _types;
    private readonly int[] _heads;   // bucket → first id in its chain (0: empty; id 0 is void and never named)
    private readonly int[] _next;    // id → next id in the same bucket
    private readonly uint[] _hashes; // id → hash of its name, to skip byte comparisons
    private readonly int _mask;

    public BtfNameIndex(BtfTypes types, int named)
    {
        _types = types;
        int buckets = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, named * 2));
        _mask = buckets - 1;
        _heads = new int[buckets];
        _next = new int[types.Count];
        _hashes = new uint[types.Count];
        for (int id = types.Count - 1; id > 0; id--)
        {
            uint nameOffset = types.U32(types.RecordOffset(id));
            if (nameOffset == 0) continue;
            uint hash = Hash(types.NameBytes(nameOffset));
            _hashes[id] = hash;
            ref int head = ref _heads[hash & _mask];
            _next[id] = head;
            head = id;
        }
    }

    /// <summary>The lowest id with this name and kind (any kind when <paramref name="kind"/> is null), or 0.</summary>
    public int First(ReadOnlySpan<byte> name, BtfKind? kind)
    {
        uint hash = Hash(name);
        for (int id = _heads[hash & _mask]; id != 0; id = _next[id])
        {
            if (_hashes[id] != hash) continue;
            int record = _types.RecordOffset(id);
            if (kind is { } k && (BtfKind)((_types.U32(record + 4) >> 24) & 0x1f) != k) continue;
            if (_types.NameBytes(_types.U32(record)).SequenceEqual(name)) return id;
        }
        return 0;
    }

    /// <summary>Adds every id with this name to <paramref name="ids"/>, in ascending order.</summary>
    public void Collect(ReadOnlySpan<byte> name, List<int> ids)
    {
        uint hash = Hash(name);
        for (int id = _heads[hash & _mask]; id != 0; id = _next[id])
            if (_hashes[id] == hash && _types.NameBytes(_types.U32(_types.RecordOffset(id))).SequenceEqual(name))
                ids.Add(id);
    }

    /// <summary>FNV-1a: simple, and good enough on identifiers.</summary>
    private static uint Hash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name) hash = (hash ^ b) * 16777619;
        return hash;
    }
}
