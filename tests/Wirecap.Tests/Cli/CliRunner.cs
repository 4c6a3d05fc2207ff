using System.Text;
using Wirecap.Cli;

namespace Wirecap.Tests.Cli;

/// <summary>Runs the capture command in-process with captured standard streams.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string StdOut, string StdErr, byte[] StdOutBytes) Run(string[] args, byte[]? stdin = null) =>
        RunWithTimeZone(args, TimeZoneInfo.Utc, stdin);

    public static (int ExitCode, string StdOut, string StdErr, byte[] StdOutBytes) RunWithTimeZone(string[] args, TimeZoneInfo timeZone, byte[]? stdin = null)
    {
        var output = new MemoryStream();
        var errors = new StringWriter();
        int code = CaptureCommand.RunAsync(args, () => new MemoryStream(stdin ?? []), () => output, errors, timeZone).GetAwaiter().GetResult();
        var bytes = output.ToArray();
        return (code, Encoding.UTF8.GetString(bytes), errors.ToString(), bytes);
    }
}
