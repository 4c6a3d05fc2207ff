using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>The options of the filter expression (tcpdump's names).</summary>
internal sealed partial class CliOptions
{
    /// <summary>-y DLT: the data-link type the expression is compiled for when there is no capture to take it from.</summary>
    public LinkType? LinkTypeOverride { get; set; }
    /// <summary>-O: don't run the filter optimizer.</summary>
    public bool NoOptimize { get; set; }

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] FilterTable =>
    [
        new("y", "linktype", "DLT", "data-link type for the filter expression (EN10MB, LINUX_SLL, RAW...)", (o, v) => o.LinkTypeOverride = ParseLinkType(v)),
        new("O", "no-optimize", null, "don't optimize the filter expression", (o, _) => o.NoOptimize = true),
    ];

    private static LinkType ParseLinkType(string value) =>
        LinkTypes.TryParse(value, out var linkType) ? linkType
        : int.TryParse(value, out var number) && number >= 0 ? LinkTypes.FromDlt(number)
        : throw new CliUsageException($"invalid data link type '{value}'");
}
