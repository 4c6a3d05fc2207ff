namespace Wirecap.Nats;

/// <summary>The headers a capture batch carries (one place for their names).</summary>
internal static class JetStreamHeaders
{
    /// <summary><c>pcapng</c> or <c>ncap</c>.</summary>
    public const string Format = "Wirecap-Format";
    /// <summary>How many packets or messages the batch holds (checked against what parses).</summary>
    public const string Count = "Wirecap-Count";

    public static string Name(JetStreamBatchFormat format) => format == JetStreamBatchFormat.Ncap ? "ncap" : "pcapng";

    public static JetStreamBatchFormat? Parse(string? value) => value switch
    {
        "pcapng" => JetStreamBatchFormat.PcapNg,
        "ncap" => JetStreamBatchFormat.Ncap,
        _ => null,
    };

    /// <summary>A stream name for a subject (stream names may not hold '.', '*', '>' or spaces).</summary>
    public static string StreamName(string subject)
    {
        var name = new System.Text.StringBuilder("WIRECAP_");
        foreach (char c in subject) name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToUpperInvariant(c) : '_');
        return name.ToString();
    }
}
