namespace Wirecap.Decoding;

/// <summary>Interface index → name on this machine (what tcpdump's if_indextoname gives for
/// SLL2 captures), read once from /sys/class/net.</summary>
internal static class InterfaceNames
{
    private static readonly Lazy<Dictionary<uint, string>> Names = new(Load);

    public static bool TryGet(uint index, out string name) => Names.Value.TryGetValue(index, out name!);

    private static Dictionary<uint, string> Load()
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/sys/class/net"))
                if (uint.TryParse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), out uint index))
                    names[index] = Path.GetFileName(dir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return names;
    }
}
