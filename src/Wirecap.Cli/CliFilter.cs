using System.Text.RegularExpressions;
using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Linux;

namespace Wirecap.Cli;

/// <summary>
/// The filter the command line asks for: an expression (words after the options), or --bpf-file.
/// A --bpf-file holding a program in one of tcpdump's -d/-dd/-ddd forms is used as it is: as a
/// kernel program when the kernel's checker accepts it, else with libpcap's semantics when libpcap's
/// validator does (protochain's backward jumps). Any other file content is an expression, as with
/// tcpdump -F ('#' starts a comment). Expressions compile with libpcap's semantics, as tcpdump's.
/// </summary>
internal static partial class CliFilter
{
    /// <summary>The program, or null when no filter was given.</summary>
    /// <exception cref="CliFilterException">The file cannot be read, or holds a broken program or expression.</exception>
    public static BpfProgram? Program(CliOptions options, LinkType linkType)
    {
        string? expression = options.Expression;
        if (options.BpfFile is { } path)
        {
            if (expression is not null)
                throw new CliFilterException($"give the filter either with --bpf-file or as an expression, not both (got '{expression}')");
            string text = Read(path);
            if (IsProgramText(text))
                return FromProgramText(path, text);
            expression = WithoutComments(text);
        }
        if (expression is null)
            return null;
        try
        {
            // As tcpdump, 'ip broadcast' takes the netmask of the -i interface; reading a file, there is none.
            var netmask = options.Interface is { } device && options.ReadFile is null ? CaptureDevices.Ipv4Netmask(device) : null;
            return FilterCompiler.Compile(expression, linkType, new FilterOptions { Snaplen = (uint)options.SnapLength, Optimize = !options.NoOptimize, Netmask = netmask });
        }
        catch (FilterException e)
        {
            throw new CliFilterException($"bad filter expression: {e.Message}");
        }
    }

    /// <summary>
    /// Hands a --bpf-file to a live capture: a program is attached as it is (the capture falls back to
    /// running it in this process when the kernel refuses it), an expression is compiled by the capture
    /// for its interface's link type.
    /// </summary>
    public static void ConfigureLive(CliOptions options, PacketCaptureOptions capture)
    {
        var (program, expression) = LiveFilter(options);
        capture.Filter = program;
        capture.FilterExpression = expression;
    }

    /// <summary>The filter of a live capture: a --bpf-file program as it is, or the expression (from the command line
    /// or a --bpf-file) for the capture to compile for its interface's link type.</summary>
    public static (BpfProgram? Program, string? Expression) LiveFilter(CliOptions options)
    {
        if (options.BpfFile is not { } path)
            return (null, options.Expression);
        if (options.Expression is not null)
            throw new CliFilterException($"give the filter either with --bpf-file or as an expression, not both (got '{options.Expression}')");
        string text = Read(path);
        return IsProgramText(text) ? (FromProgramText(path, text), null) : (null, WithoutComments(text));
    }

    /// <summary>What -d prints when no filter was given: tcpdump's "accept everything" program.</summary>
    public static BpfProgram ProgramOrAcceptAll(CliOptions options, LinkType linkType) =>
        Program(options, linkType) ?? BpfProgram.Accept((uint)options.SnapLength, BpfDialect.Libpcap);

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFilterException($"cannot read --bpf-file {path}: {e.Message}");
        }
    }

    private static BpfProgram FromProgramText(string path, string text)
    {
        BpfInstruction[] instructions;
        try
        {
            instructions = BpfAssembler.Parse(text);
        }
        catch (BpfAssemblyException e)
        {
            throw new CliFilterException($"{path}: {e.Message}");
        }
        var kernel = BpfValidator.TryValidate(instructions, BpfDialect.Kernel);
        if (kernel is null)
            return BpfProgram.Create(instructions, BpfDialect.Kernel);
        if (BpfValidator.TryValidate(instructions, BpfDialect.Libpcap) is null)
            return BpfProgram.Create(instructions, BpfDialect.Libpcap);
        throw new CliFilterException($"{path}: {kernel.Message}");
    }

    /// <summary>A program starts like "(000) ...", "{ 0x28, ..." or with a lone count; an expression never does.</summary>
    private static bool IsProgramText(string text)
    {
        string first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return ProgramStart().IsMatch(first);
    }

    private static string WithoutComments(string text) =>
        string.Join(' ', text.Split('\n').Select(line => line.IndexOf('#') is var hash and >= 0 ? line[..hash] : line)).Trim();

    [GeneratedRegex(@"^(\(\d{3,}\)\s|\{\s*(0x[0-9a-fA-F]+|\d+)\s*,|\d+$)")]
    private static partial Regex ProgramStart();
}

/// <summary>The filter given on the command line cannot be used (reported without the usage text).</summary>
internal sealed class CliFilterException(string message) : Exception(message);
