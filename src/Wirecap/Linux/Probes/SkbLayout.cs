using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>A kernel struct member a probe reads: its byte offset and size, taken from BTF.</summary>
/// <param name="Name">"sk_buff.mac_header", for messages.</param>
/// <param name="Offset">Bytes from the start of the struct.</param>
/// <param name="Size">Bytes read: 1, 2, 4 or 8.</param>
internal readonly record struct KernelField(string Name, short Offset, int Size);

/// <summary>
/// Where the fields a probe reads lie in this kernel's <c>sk_buff</c>, <c>net_device</c> and <c>net</c>,
/// found in BTF when a probe opens (never compiled in), through anonymous members. Sizes are checked,
/// so a kernel that changed a field's type fails here with its name rather than reading garbage.
/// </summary>
internal sealed class SkbLayout
{
    public required KernelField Head { get; init; }
    public required KernelField Data { get; init; }
    public required KernelField Len { get; init; }
    public required KernelField DataLen { get; init; }
    public required KernelField MacHeader { get; init; }
    public required KernelField NetworkHeader { get; init; }
    public required KernelField MacLen { get; init; }
    public required KernelField Protocol { get; init; }
    public required KernelField Mark { get; init; }
    public required KernelField Timestamp { get; init; }
    public required KernelField Device { get; init; }
    public required KernelField DeviceIfindex { get; init; }
    public required KernelField DeviceNet { get; init; }
    public required KernelField NetInum { get; init; }

    public static SkbLayout From(BtfTypes btf) => new()
    {
        Head = Field(btf, "sk_buff", "head", 8),
        Data = Field(btf, "sk_buff", "data", 8),
        Len = Field(btf, "sk_buff", "len", 4),
        DataLen = Field(btf, "sk_buff", "data_len", 4),
        MacHeader = Field(btf, "sk_buff", "mac_header", 2),
        NetworkHeader = Field(btf, "sk_buff", "network_header", 2),
        MacLen = Field(btf, "sk_buff", "mac_len", 2),
        Protocol = Field(btf, "sk_buff", "protocol", 2),
        Mark = Field(btf, "sk_buff", "mark", 4),
        Timestamp = Field(btf, "sk_buff", "tstamp", 8),
        Device = Field(btf, "sk_buff", "dev", 8),
        DeviceIfindex = Field(btf, "net_device", "ifindex", 4),
        DeviceNet = Field(btf, "net_device", "nd_net.net", 8),
        NetInum = Field(btf, "net", "ns.inum", 4),
    };

    private static KernelField Field(BtfTypes btf, string structName, string path, int size)
    {
        string name = $"{structName}.{path}";
        BtfField field;
        try
        {
            field = btf.FindField(structName, path);
        }
        catch (BtfException e)
        {
            throw new ProbeException($"this kernel's BTF lacks {name}, which a probe reads: {e.Message}", e);
        }
        if (field.IsBitfield || field.BitOffset % 8 != 0 || field.Size != size)
            throw new ProbeException($"{name} is {(field.IsBitfield ? $"a {field.BitfieldSize}-bit bitfield" : $"{field.Size} bytes ({field.Type})")} " +
                $"in {btf.Source}, where a probe reads {size} bytes: the kernel changed the field");
        if (field.ByteOffset > short.MaxValue) throw new ProbeException($"{name} lies at byte {field.ByteOffset}, beyond what one load instruction reaches");
        return new KernelField(name, (short)field.ByteOffset, size);
    }
}
