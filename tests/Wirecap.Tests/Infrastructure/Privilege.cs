using System.Diagnostics;
using NUnit.Framework;

namespace Wirecap.Tests.Infrastructure;

/// <summary>
/// Gate for tests that need root (network namespaces, packet sockets). Without privilege they
/// are skipped with the reason; with CAPTURE_REQUIRE_PRIVILEGED=1 they must run, so a missing
/// privilege fails instead of silently skipping.
/// </summary>
public static class Privilege
{
    public static bool Required => Environment.GetEnvironmentVariable("CAPTURE_REQUIRE_PRIVILEGED") == "1";

    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    public static void RequireRoot(string why)
    {
        if (IsRoot && Tool.Exists("ip")) return;
        var reason = $"needs root and iproute2 ({why})";
        if (Required) Assert.Fail($"CAPTURE_REQUIRE_PRIVILEGED=1 but the test cannot run: {reason}");
        Assert.Ignore(reason);
    }

    private static uint GetEuid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2]);
        }
        catch (IOException) { }
        return uint.MaxValue;
    }
}

/// <summary>External programs used as oracles (tcpdump, tshark, ip, gcc...).</summary>
public static class Tool
{
    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, name)));

    /// <summary>Skips (or fails under CAPTURE_REQUIRE_PRIVILEGED=1, which CI sets) when a peer tool is missing.</summary>
    public static void Require(string name)
    {
        if (Exists(name)) return;
        var reason = $"'{name}' is not installed (the test command installs it: ./build.sh test)";
        if (Privilege.Required) Assert.Fail(reason);
        Assert.Ignore(reason);
    }

    /// <summary>Runs a program to completion and returns its exit code, stdout and stderr.</summary>
    /// <param name="environment">variables to set (a null value removes one) on top of this process's environment</param>
    public static (int ExitCode, string StdOut, string StdErr) Run(string file, string arguments, string? stdin = null, int timeoutMs = 120_000,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeoutMs} ms");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a program and fails the test with its stderr if it exits non-zero.</summary>
    public static string RunOk(string file, string arguments, string? stdin = null, int timeoutMs = 120_000)
    {
        var (code, stdout, stderr) = Run(file, arguments, stdin, timeoutMs);
        if (code != 0) Assert.Fail($"{file} {arguments} exited {code}: {stderr}");
        return stdout;
    }
}
