using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Formats;

/// <summary>
/// A copy merges sections into one, whose header holds the first section's hardware, OS and application; a later
/// section's go to its interfaces (if_hardware, if_os, or a comment where the interface names its own or pcapng has no
/// interface option, as for the application), read back by capinfos and tshark, and by our reader.
/// </summary>
public class SectionOptionsCopyTests
{
    private static byte[] TwoSections()
    {
        var le = new EndianBlocks(bigEndian: false);
        var be = new EndianBlocks(bigEndian: true);
        return
        [
            .. le.SectionHeader([.. le.Option(2, "hw-A"), .. le.Option(3, "Linux A"), .. le.Option(4, "app A"), .. EndianBlocks.End]),
            .. le.InterfaceDescription(1, 0, [.. le.Option(2, "eth0"), .. EndianBlocks.End]),
            .. le.EnhancedPacket(0, 1_700_000_000_000_000, RichCapture.Frame(60, 1), 60, []),
            .. be.SectionHeader([.. be.Option(2, "hw-B"), .. be.Option(3, "Linux B"), .. be.Option(4, "app B"), .. EndianBlocks.End]),
            .. be.InterfaceDescription(1, 0, [.. be.Option(2, "eth1"), .. be.Option(12, "Linux 6.9"), .. EndianBlocks.End]),
            .. be.InterfaceDescription(1, 0, [.. be.Option(2, "eth2"), .. EndianBlocks.End]),
            .. be.EnhancedPacket(0, 1_700_000_000_000_001, RichCapture.Frame(60, 2), 60, []),
            .. be.EnhancedPacket(1, 1_700_000_000_000_002, RichCapture.Frame(60, 3), 60, []),
        ];
    }

    [TestCase("cli")]
    [TestCase("library, whole input")]
    [TestCase("library, streaming")]
    public void A_later_sections_hardware_os_and_application_stay_with_its_interfaces(string how)
    {
        Tool.Require("capinfos");
        Tool.Require("tshark");
        using var files = new TestFiles();
        string input = files["two-sections.pcapng"], output = files["copy.pcapng"];
        File.WriteAllBytes(input, TwoSections());
        if (how == "cli") CopyFidelityTests.RunCli(input, output);
        else
        {
            using var reader = CaptureReader.Open(input);
            var options = CaptureCopier.WriterOptions(reader, CaptureFormat.PcapNg, how == "library, streaming" ? null : CaptureCopier.ReadBlocks(input));
            using (var writer = CaptureWriter.Create(output, CaptureFormat.PcapNg, options))
            {
                var copy = new CaptureCopier(reader, writer);
                while (reader.Read()) copy.Write(reader.Current);
                copy.Complete();
            }
        }

        using (var copied = (PcapNgReader)CaptureReader.Open(output))
        {
            while (copied.Read()) { }
            Assert.That(copied.SectionCount, Is.EqualTo(1));
            var section = copied.Blocks.OfType<CaptureSection>().Single();
            Assert.That((section.Hardware, section.OperatingSystem, section.Application), Is.EqualTo(("hw-A", "Linux A", "app A")));
            var interfaces = copied.Blocks.OfType<CaptureInterface>().ToList();
            Assert.That(interfaces.Select(i => (i.Name, i.Hardware, i.OperatingSystem, string.Join(" | ", i.Comments))), Is.EqualTo(new[]
            {
                ("eth0", (string?)null, (string?)null, ""),
                ("eth1", "hw-B", "Linux 6.9", "capture OS of section 2: Linux B | capture application of section 2: app B"),
                ("eth2", "hw-B", "Linux B", "capture application of section 2: app B"),
            }));
        }

        // capinfos reads the section's and the interfaces' options back; tshark keeps every packet on its interface.
        string summary = Tool.RunOk("capinfos", $"\"{output}\"");
        Assert.That(summary, Does.Contain("Capture hardware:    hw-A").And.Contain("Capture oper-sys:    Linux A").And.Contain("Capture application: app A"));
        var eth1 = Interface(summary, "eth1");
        Assert.That(eth1, Does.Contain("Hardware = hw-B").And.Contain("Operating system = Linux 6.9").And.Contain("Comment = capture OS of section 2: Linux B"), summary);
        Assert.That(Interface(summary, "eth2"), Does.Contain("Hardware = hw-B").And.Contain("Operating system = Linux B")
            .And.Contain("Comment = capture application of section 2: app B"), summary);
        Assert.That(Interface(summary, "eth0"), Does.Not.Contain("Hardware").And.Not.Contain("Operating system"), summary);
        Assert.That(Tool.RunOk("tshark", $"-r \"{output}\" -T fields -e frame.interface_name -e frame.interface_description").Trim().Split('\n')
            .Select(l => l.Split('\t')[0]), Is.EqualTo(new[] { "eth0", "eth1", "eth2" }));
        Assert.That(Tool.Run("editcap", $"\"{output}\" \"{files["edited.pcapng"]}\"").ExitCode, Is.Zero, "editcap reads the copy");
    }

    /// <summary>Carrying a section's options rebuilds the interface property by property: every one must survive it.</summary>
    [Test]
    public void Carrying_section_options_keeps_every_other_property_of_the_interface()
    {
        var described = new CaptureInterface
        {
            LinkType = LinkType.LinuxSll, SnapLength = 1234, Name = "n", Description = "d", TimestampResolution = 3, TimestampOffset = 7,
            FcsLength = 4, Speed = 10, Filter = "f", OperatingSystem = "own os", Hardware = null, Comments = ["c"],
            OtherOptions = [new CaptureOption(10, new byte[] { 1, 0, 0, 0 })],
        };
        var first = new CaptureSection { Index = 0, Hardware = "A" };
        var carried = SectionOptionsOnInterfaces.Carry(described, new CaptureSection { Index = 1, Hardware = "B" }, first);
        foreach (var property in typeof(CaptureInterface).GetProperties())
        {
            object? before = property.GetValue(described), after = property.GetValue(carried);
            if (property.Name == nameof(CaptureInterface.Hardware)) Assert.That(after, Is.EqualTo("B"));
            else Assert.That(after, Is.EqualTo(before), $"{property.Name}: add it to SectionOptionsOnInterfaces.Carry");
        }
    }

    /// <summary>capinfos's lines for the interface named <paramref name="name"/>.</summary>
    private static string Interface(string summary, string name)
    {
        var lines = summary.Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == $"Name = {name}");
        if (start < 0) return "";
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ')));
    }
}
