using Wirecap.Decoding;
using Wirecap.Bpf;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>
/// <c>wirecap -d</c>, <c>-dd</c>, <c>-ddd</c>: print the filter program in use and exit, as tcpdump does.
/// The program is compiled for the link type of the -r file (read from its header), else the -y link type, else the -i
/// interface's, else Ethernet.
/// </summary>
internal static class BpfDumpCommand
{
    public static bool Applies(CliOptions options) => options.DumpLevel > 0;

    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdin, Func<Stream> stdout)
    {
        LinkType linkType = options.LinkTypeOverride ?? LinkType.Ethernet;
        if (options.ReadFile is { } path)
        {
            await using var reader = path == "-" ? await CaptureFiles.OpenReaderAsync(stdin()) : await CaptureFiles.OpenReaderAsync(path);
            if (reader.Interfaces.Count > 0)
                linkType = reader.Interfaces[0].LinkType;
        }
        else if (options.Interface is { } name)
        {
            // As tcpdump -d -i IFACE: the program is compiled for what a capture on the interface delivers (unless -y
            // says otherwise) and with its netmask, so the interface must exist.
            var delivered = LiveCaptureCommand.InterfaceLinkType(name) ?? throw new IOException($"{name}: no such device exists");
            linkType = options.LinkTypeOverride ?? delivered;
        }
        BpfProgram program = CliFilter.ProgramOrAcceptAll(options, linkType);
        var format = options.DumpLevel switch { 1 => BpfTextFormat.Listing, 2 => BpfTextFormat.CArray, _ => BpfTextFormat.Decimal };
        await using var output = new StreamWriter(stdout());
        await output.WriteAsync(BpfDisassembler.Format(program.Instructions, format));
        return CaptureCommand.Success;
    }
}
