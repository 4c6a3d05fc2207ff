using Wirecap.Formats.Ncap;

namespace Wirecap.Cli;

/// <summary>Applies -1/-2 to a message on its way out.</summary>
internal static class NcapStamping
{
    public static NcapRecord Stamp(in NcapRecord record, CliOptions options) => record with
    {
        User1 = options.User1?.Apply(record.User1) ?? record.User1,
        User2 = options.User2?.Apply(record.User2) ?? record.User2,
    };
}
