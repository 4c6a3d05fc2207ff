namespace Wirecap.Formats;

/// <summary>
/// What a copy into one section does with the hardware, OS and application of the sections after the first, which the
/// output's one section header cannot hold beside the first's: each of them that differs from the first section's
/// goes to every interface of its section, pcapng's own per-interface place where there is one (<c>if_hardware</c>,
/// <c>if_os</c>, unless the interface names its own), otherwise a comment on the interface
/// (<c>capture application of section 2: …</c>), so that nothing the input says is dropped and each packet stays
/// beside what it was captured with.
/// </summary>
internal static class SectionOptionsOnInterfaces
{
    /// <summary><paramref name="described"/> as the output describes it, <paramref name="section"/> being its input
    /// section and <paramref name="first"/> the one the output's section header copies.</summary>
    public static CaptureInterface Carry(CaptureInterface described, CaptureSection? section, CaptureSection? first)
    {
        if (section is null || first is null || ReferenceEquals(section, first)) return described;
        var comments = new List<string>(described.Comments);
        string? hardware = Place(described.Hardware, section.Hardware, first.Hardware, "capture hardware", section, comments);
        string? os = Place(described.OperatingSystem, section.OperatingSystem, first.OperatingSystem, "capture OS", section, comments);
        if (section.Application is { } application && application != first.Application)
            comments.Add($"capture application of section {section.Index + 1}: {application}");
        if (hardware == described.Hardware && os == described.OperatingSystem && comments.Count == described.Comments.Count) return described;
        return new CaptureInterface
        {
            LinkType = described.LinkType,
            SnapLength = described.SnapLength,
            Name = described.Name,
            Description = described.Description,
            TimestampResolution = described.TimestampResolution,
            TimestampOffset = described.TimestampOffset,
            FcsLength = described.FcsLength,
            Speed = described.Speed,
            Filter = described.Filter,
            OperatingSystem = os,
            Hardware = hardware,
            Comments = comments,
            OtherOptions = described.OtherOptions,
        };
    }

    /// <summary>The interface's value of a field: its own, else its section's when that differs from the first
    /// section's; a section value that cannot go there (the interface names its own) is added as a comment.</summary>
    private static string? Place(string? own, string? ofSection, string? ofFirst, string label, CaptureSection section, List<string> comments)
    {
        if (ofSection is null || ofSection == ofFirst) return own;
        if (own is null) return ofSection;
        if (own != ofSection) comments.Add($"{label} of section {section.Index + 1}: {ofSection}");
        return own;
    }
}
