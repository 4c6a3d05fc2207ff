using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf.Support;

/// <summary>
/// Real filters as tcpdump compiles them for Ethernet (<c>tcpdump -ddd -y EN10MB 'expr'</c>), stored in
/// TestData/Bpf/Programs/NAME.ddd; expressions.txt there lists the expression behind each name.
/// The benchmarks run the same files.
/// </summary>
public static class BpfTestPrograms
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "Bpf", "Programs");

    public static IEnumerable<string> Names =>
        File.ReadLines(Path.Combine(Directory, "expressions.txt")).Where(l => l.Length > 0).Select(l => l.Split('\t')[0])
            .NonEmpty("expressions in TestData/Bpf/Programs/expressions.txt");

    public static BpfInstruction[] Load(string name) => BpfAssembler.Parse(File.ReadAllText(Path.Combine(Directory, name + ".ddd")));
}
