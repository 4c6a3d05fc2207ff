using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Capture.Tests.Infrastructure;

namespace Capture.Tests.Linux;

/// <summary>Runs tcpdump inside a test namespace, writing a pcap file, as the oracle a capture is compared with.</summary>
internal sealed partial class TcpdumpRecorder : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();
    public string File { get; }

    public TcpdumpRecorder(string netns, string device, string arguments = "")
    {
        Tool.Require("tcpdump");
        File = Path.Combine(Path.GetTempPath(), $"capture-live-{Guid.NewGuid():N}.pcap");
        var psi = new ProcessStartInfo("ip", $"netns exec {netns} tcpdump -i {device} -w {File} -U --immediate-mode -B 32768 -n {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal)) _ready.TrySetResult();
        };
        _process.BeginErrorReadLine();
        if (!_ready.Task.Wait(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException($"tcpdump did not start: {Stderr}");
    }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Waits until tcpdump has written <paramref name="count"/> frames (or 5 s passed), stops it and
    /// returns the frames it wrote.</summary>
    public List<byte[]> StopAndRead(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && ReadPcap(File).Count < count) Thread.Sleep(20);
        return StopAndRead();
    }

    /// <summary>Stops tcpdump (SIGINT, so it flushes) and returns the frames it wrote.</summary>
    public List<byte[]> StopAndRead()
    {
        Kill(_process.Id, 2);
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.WaitForExit();
        return ReadPcap(File);
    }

    /// <summary>The frames of a classic pcap file (either timestamp resolution, little-endian).</summary>
    public static List<byte[]> ReadPcap(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var frames = new List<byte[]>();
        for (var offset = 24; offset + 16 <= bytes.Length && offset + 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)) <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8));
            frames.Add(bytes.AsSpan(offset + 16, length).ToArray());
            offset += 16 + length;
        }
        return frames;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        System.IO.File.Delete(File);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
