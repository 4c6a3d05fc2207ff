using Wirecap.Linux;

namespace Wirecap.Cli;

/// <summary>
/// tcpdump's <c>-D</c>: the interfaces a capture can use, numbered and ordered as libpcap orders them (up and running
/// before not, connected before disconnected, loopback after the others, by instance number, "any" after every other
/// non-loopback interface that is up), flagged as tcpdump prints them; <c>-i N</c> takes the number. libpcap also lists
/// pseudo-devices we do not capture on (bluetooth-monitor, nflog, nfqueue, dbus-system, dbus-session, usbmon): they sort
/// after every interface that is up, so these keep tcpdump's numbers.
/// </summary>
internal static class DeviceListing
{
    public const string AnyDescription = "Pseudo-device that captures on all interfaces";

    public sealed record Entry(string Name, string? Description, bool Up, bool Running, bool Loopback, bool Wireless, DeviceConnection Connection);

    /// <summary>The devices in libpcap's order.</summary>
    public static List<Entry> Ordered()
    {
        var ordered = new List<Entry>();
        foreach (var device in CaptureDevices.List())
            Insert(ordered, new Entry(device.Name, null, device.IsUp, device.IsRunning, device.IsLoopback, device.IsWireless, device.Connection));
        Insert(ordered, new Entry(PacketCaptureOptions.AnyInterface, AnyDescription, true, true, false, false, DeviceConnection.NotApplicable));
        return ordered;
    }

    /// <summary>One line of tcpdump -D: <c>1.eth0 [Up, Running, Connected]</c>.</summary>
    public static string Line(int number, Entry entry)
    {
        var line = $"{number}.{entry.Name}" + (entry.Description is null ? "" : $" ({entry.Description})");
        var flags = new List<string>();
        if (entry.Up) flags.Add("Up");
        if (entry.Running) flags.Add("Running");
        if (entry.Loopback) flags.Add("Loopback");
        if (entry.Wireless) flags.Add("Wireless");
        string status = (entry.Wireless, entry.Connection) switch
        {
            (_, DeviceConnection.NotApplicable) => "",
            (true, DeviceConnection.Unknown) => ", Association status unknown",
            (true, DeviceConnection.Connected) => ", Associated",
            (true, DeviceConnection.Disconnected) => ", Not associated",
            (false, DeviceConnection.Unknown) => ", Connection status unknown",
            (false, DeviceConnection.Connected) => ", Connected",
            _ => ", Disconnected",
        };
        // tcpdump prints the brackets when libpcap set any flag, the connection status counting (unknown is none).
        bool anyFlag = flags.Count > 0 || entry.Connection != DeviceConnection.Unknown;
        return anyFlag ? $"{line} [{(flags.Count == 0 ? "none" : string.Join(", ", flags))}{status}]" : line;
    }

    /// <summary>-i N: the name of the N-th device of the list, as tcpdump takes a number.</summary>
    /// <exception cref="CliUsageException">N is 0 or beyond the list.</exception>
    public static string NameOf(int number)
    {
        var devices = Ordered();
        if (number < 1) throw new CliUsageException($"Invalid adapter index {number}");
        if (number > devices.Count) throw new CliUsageException($"Invalid adapter index {number}: only {devices.Count} interfaces found");
        return devices[number - 1].Name;
    }

    // libpcap's add_dev: before the first device with a worse figure of merit, so equal ones keep their order.
    private static void Insert(List<Entry> ordered, Entry entry)
    {
        uint merit = FigureOfMerit(entry);
        int at = ordered.FindIndex(e => merit < FigureOfMerit(e));
        ordered.Insert(at < 0 ? ordered.Count : at, entry);
    }

    private static uint FigureOfMerit(Entry entry)
    {
        uint n;
        // "any" after every other interface that is up, but before loopback ones (as tcpdump -D shows it).
        if (entry.Name == PacketCaptureOptions.AnyInterface) n = 0x0FFFFFFF;
        else
        {
            int digits = entry.Name.Length;
            while (digits > 0 && char.IsAsciiDigit(entry.Name[digits - 1])) digits--;
            n = digits < entry.Name.Length && uint.TryParse(entry.Name.AsSpan(digits), out uint instance) ? instance + 1 : 0;
        }
        if (!entry.Running) n |= 0x80000000;
        if (!entry.Up) n |= 0x40000000;
        if (entry.Connection == DeviceConnection.Disconnected) n |= 0x20000000;
        if (entry.Loopback) n |= 0x10000000;
        return n;
    }
}
