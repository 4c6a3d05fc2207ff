using NUnit.Framework;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Wirecap.Bpf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Drives native-shims/pcap_oracle: Debian's libpcap compiles expressions, and runs both its
/// program and ours through its own <c>bpf_filter</c>.
/// </summary>
internal sealed class PcapOracle : IDisposable
{
    private readonly Process _process;

    private PcapOracle(Process process) => _process = process;

    /// <summary>Starts the oracle, building it first when needed (skips the test without gcc).</summary>
    public static PcapOracle Start()
    {
        var path = NativeShim.Path("pcap_oracle");
        var process = Process.Start(new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        return new PcapOracle(process);
    }

    public (BpfInstruction[]? Program, string? Error) Compile(int dlt, uint snaplen, uint? netmask, bool optimize, string expression)
    {
        var mask = netmask is { } m ? m.ToString("x", CultureInfo.InvariantCulture) : "-";
        var escaped = expression.Replace("\n", "\\n").Replace("\t", "\\t");
        Send($"compile {dlt} {snaplen} {mask} {(optimize ? 1 : 0)} {escaped}");
        var header = Receive();
        if (header.StartsWith("error ", StringComparison.Ordinal))
            return (null, header[6..]);
        var count = int.Parse(header[3..], CultureInfo.InvariantCulture);
        var program = new BpfInstruction[count];
        for (var i = 0; i < count; i++)
        {
            var f = Receive().Split(' ');
            program[i] = new BpfInstruction(ushort.Parse(f[0], CultureInfo.InvariantCulture), byte.Parse(f[1], CultureInfo.InvariantCulture),
                byte.Parse(f[2], CultureInfo.InvariantCulture), uint.Parse(f[3], CultureInfo.InvariantCulture));
        }
        return (program, null);
    }

    public void Load(ReadOnlySpan<BpfInstruction> program)
    {
        var line = new StringBuilder("load ").Append(program.Length);
        foreach (var i in program)
            line.Append(CultureInfo.InvariantCulture, $" {i.Code},{i.JumpTrue},{i.JumpFalse},{i.K}");
        Send(line.ToString());
        var answer = Receive();
        if (answer != "ok")
            throw new InvalidOperationException(answer);
    }

    /// <summary>Runs libpcap's last compiled program and the loaded program on one packet.</summary>
    public (uint Reference, uint Loaded) Test(ReadOnlySpan<byte> packet, int wireLength)
    {
        Send($"test {wireLength} {Convert.ToHexString(packet)}");
        var f = Receive().Split(' ');
        return (uint.Parse(f[0], CultureInfo.InvariantCulture), uint.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Replaces the oracle's stored corpus.</summary>
    public void SetCorpus(IReadOnlyList<CorpusPacket> packets)
    {
        var text = new StringBuilder("clear\n");
        foreach (var p in packets)
            text.Append(CultureInfo.InvariantCulture, $"packet {p.WireLength} {Convert.ToHexString(p.Data)}\n");
        _process.StandardInput.Write(text.ToString());
        _process.StandardInput.Flush();
    }

    /// <summary>Runs libpcap's last compiled program and the loaded one over the stored corpus.</summary>
    public (uint[] Reference, uint[] Loaded) RunAll()
    {
        Send("runall");
        var halves = Receive().Split('|');
        static uint[] Parse(string s) => s.Length == 0 ? [] : s.Split(' ').Select(x => uint.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return (Parse(halves[0]), Parse(halves[1]));
    }

    private void Send(string line)
    {
        _process.StandardInput.Write(line);
        _process.StandardInput.Write('\n');
        _process.StandardInput.Flush();
    }

    private string Receive() => _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pcap_oracle exited");

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
            _process.Kill();
        _process.Dispose();
    }
}
