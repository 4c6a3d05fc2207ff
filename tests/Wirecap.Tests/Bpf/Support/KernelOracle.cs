using System.Text;
using Wirecap.Bpf;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf.Support;

/// <summary>What the kernel did with one frame: dropped it, or delivered <see cref="Bytes"/> bytes of it.</summary>
public readonly record struct KernelVerdict(bool Kept, int Bytes)
{
    public static KernelVerdict Dropped => new(false, 0);

    /// <summary>What a packet socket delivers for filter result <paramref name="result"/> on a frame of <paramref name="length"/> bytes.</summary>
    public static KernelVerdict FromResult(uint result, int length) => result == 0 ? Dropped : new(true, (int)Math.Min(result, (uint)length));

    public override string ToString() => Kept ? $"kept {Bytes} bytes" : "dropped";
}

/// <summary>
/// Drives native-shims/kernel_oracle inside a <see cref="TestNetwork"/>: programs are attached with
/// SO_ATTACH_FILTER to a packet socket on InnerB, frames are sent from InnerA, and the kernel's
/// verdict for every frame comes back. One process handles a whole test's worth of programs.
/// </summary>
public sealed class KernelOracle
{
    private readonly TestNetwork _network;
    private readonly StringBuilder _input = new();
    private readonly List<Action<string[], Cursor>> _readers = [];

    public KernelOracle(TestNetwork network) => _network = network;

    private sealed class Cursor
    {
        public int Line;
    }

    /// <summary>Queues an attach; <paramref name="onResult"/> gets 0 (accepted) or the errno.</summary>
    public void Attach(ReadOnlySpan<BpfInstruction> program, Action<int> onResult)
    {
        _input.Append("p ").AppendLine(BpfText.Numbers(program));
        _readers.Add((lines, at) =>
        {
            string line = lines[at.Line++];
            Assert.That(line, Does.StartWith("a "), "kernel oracle answer to an attach");
            onResult(int.Parse(line[2..]));
        });
    }

    /// <summary>Queues a batch of frames (distinct lengths, 14..1514 bytes); <paramref name="onVerdicts"/> gets one verdict per frame.</summary>
    public void Send(IReadOnlyList<byte[]> frames, Action<KernelVerdict[]> onVerdicts)
    {
        foreach (var frame in frames) _input.Append("f ").AppendLine(Convert.ToHexString(frame));
        _input.AppendLine("s");
        _readers.Add((lines, at) =>
        {
            if (lines[at.Line].StartsWith("e ", StringComparison.Ordinal))
                Assert.Fail($"kernel oracle could not judge a batch: {lines[at.Line][2..]}");
            var verdicts = new KernelVerdict[frames.Count];
            for (int i = 0; i < frames.Count; i++)
            {
                string line = lines[at.Line++];
                verdicts[i] = line == "d" ? KernelVerdict.Dropped : new KernelVerdict(true, int.Parse(line[2..]));
            }
            onVerdicts(verdicts);
        });
    }

    /// <summary>Runs everything queued in one oracle process and hands each answer to its callback.</summary>
    public void Run()
    {
        string oracle = NativeShim.Path("kernel_oracle");
        var (code, stdout, stderr) = Tool.Run("ip", $"netns exec {_network.Name} {oracle} {_network.InnerA} {_network.InnerB}", _input.ToString(), timeoutMs: 300_000);
        if (code != 0) Assert.Fail($"kernel_oracle exited {code}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cursor = new Cursor();
        foreach (var reader in _readers) reader(lines, cursor);
        Assert.That(cursor.Line, Is.EqualTo(lines.Length), "kernel oracle answered more than was asked");
        _input.Clear();
        _readers.Clear();
    }
}
