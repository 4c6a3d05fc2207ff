using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Wirecap.Tests.Linux;

/// <summary>A background program that announces on standard error when it is ready (e.g. "listening on"),
/// and can be sent a signal.</summary>
internal sealed partial class ReadyProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly System.Text.StringBuilder _stdout = new();

    public ReadyProcess(string file, string arguments, string readyText)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (e.Data.Contains(readyText, StringComparison.Ordinal)) _ready.TrySetResult();
        };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        if (!_ready.Task.Wait(TimeSpan.FromSeconds(20)))
            throw new InvalidOperationException($"{file} {arguments} did not become ready: {Stderr}");
    }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public void Signal(int signal) => Kill(_process.Id, signal);

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"the process did not exit: {Stderr}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
