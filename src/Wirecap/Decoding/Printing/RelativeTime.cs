using System.Text;

namespace Wirecap.Decoding;

/// <summary>Durations in seconds as tcpdump prints them (IGMP response times, DNS TTLs).</summary>
internal static class RelativeTime
{
    private static readonly string[] Units = ["y", "w", "d", "h", "m", "s"];
    private static readonly uint[] UnitSeconds = [31536000, 604800, 86400, 3600, 60, 1];

    /// <summary>tcpdump's <c>unsigned_relts_print</c>: <c>51m12s</c>, <c>0s</c>.</summary>
    public static StringBuilder AppendDuration(this StringBuilder line, uint seconds)
    {
        if (seconds == 0) return line.Append("0s");
        for (int i = 0; i < UnitSeconds.Length; i++)
        {
            if (seconds < UnitSeconds[i]) continue;
            line.Append(seconds / UnitSeconds[i]).Append(Units[i]);
            seconds %= UnitSeconds[i];
        }
        return line;
    }
}
