using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wirecap.Filter;

using Wirecap.Testing;

namespace Wirecap.Bench.Filter;

/// <summary>
/// The safety net for optimizer changes: compiles a large fixed corpus and records each program's length and hash
/// (or its error), so a change can be checked against the programs of the commit before it.
///   --filter-identity record FILE     write the table
///   --filter-identity compare FILE    compile again and compare: exit 1 when any program got longer or an outcome changed
/// Corpus: every expression of libpcap's suite on every link type we compile for, seeded random or/and chains of the
/// shape <c>ChainProperties</c> generates, and port/host chains of 2 to 250 terms (and one of 1,000 ports).
/// </summary>
public static class FilterIdentity
{
    private static readonly int[] Dlts = [1, 12, 113, 276, 0, 108, 228, 229];

    private static readonly string[] Terms = ChainTerms.All;

    private const int RandomChains = 3000;

    public static bool TryRun(string[] a, out int exitCode)
    {
        exitCode = 0;
        if (a.Length != 3 || a[0] != "--filter-identity" || a[1] is not ("record" or "compare"))
            return false;
        var root = Wirecap.Testing.Repository.Root;
        var names = Names(root);
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var table = new List<(string Key, string Outcome)>();
        foreach (var (dlt, expression, options) in Corpus(root))
            table.Add(($"{dlt}\t{Escape(expression)}", Compile(expression, dlt, options with { Resolver = names })));
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{table.Count} programs compiled in {watch.Elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s CPU)");
        if (a[1] == "record")
        {
            File.WriteAllLines(a[2], table.Select(r => $"{r.Outcome}\t{r.Key}"));
            Console.WriteLine($"recorded in {a[2]}");
            return true;
        }
        exitCode = Compare(a[2], table);
        return true;
    }

    private static int Compare(string path, List<(string Key, string Outcome)> table)
    {
        var before = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(path))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            before[line[(tab + 1)..]] = line[..tab];
        }
        int identical = 0, shorter = 0, sameLength = 0, longer = 0, outcome = 0, missing = 0, savedInstructions = 0;
        var report = new List<string>();
        foreach (var (key, now) in table)
        {
            if (!before.TryGetValue(key, out var then))
            {
                missing++;
                continue;
            }
            if (then == now)
            {
                identical++;
                continue;
            }
            var (thenLength, nowLength) = (Length(then), Length(now));
            if (thenLength < 0 || nowLength < 0)
            {
                outcome++;
                report.Add($"outcome changed: {then} -> {now}: {key}");
            }
            else if (nowLength < thenLength)
            {
                shorter++;
                savedInstructions += thenLength - nowLength;
                report.Add($"shorter {thenLength} -> {nowLength}: {key}");
            }
            else if (nowLength == thenLength)
            {
                sameLength++;
            }
            else
            {
                longer++;
                report.Add($"LONGER {thenLength} -> {nowLength}: {key}");
            }
        }
        foreach (var line in report.Take(60))
            Console.WriteLine(line.Length > 200 ? line[..200] + "…" : line);
        Console.WriteLine($"{table.Count} programs: {identical} identical, {sameLength} same length (other instructions), " +
            $"{shorter} shorter ({savedInstructions} instructions fewer), {longer} longer, {outcome} outcome changed, {missing} not in {path}");
        return longer + outcome + missing == 0 ? 0 : 1;
    }

    /// <summary>The program's length and hash ("17:3fa2…"), or the error ("error:…") with length -1.</summary>
    private static string Compile(string expression, int dlt, FilterOptions options)
    {
        try
        {
            var program = FilterCompiler.CompileInstructions(expression, dlt, options);
            var bytes = new byte[program.Length * 8];
            for (var i = 0; i < program.Length; i++)
            {
                var p = program[i];
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), p.Code);
                bytes[i * 8 + 2] = p.JumpTrue;
                bytes[i * 8 + 3] = p.JumpFalse;
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), p.K);
            }
            return $"{program.Length}:{Convert.ToHexString(SHA256.HashData(bytes))[..16]}";
        }
        catch (FilterException e)
        {
            return $"error:{Escape(e.Message)}";
        }
    }

    private static int Length(string outcome) =>
        outcome.StartsWith("error:", StringComparison.Ordinal) ? -1 : int.Parse(outcome[..outcome.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static IFilterNameResolver Names(string root)
    {
        string Data(string name) => File.ReadAllText(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", name));
        return new NameTables().AddHosts(Data("hosts.txt")).AddEthers(Data("ethers.txt")).AddNetworks(Data("networks.txt"));
    }

    private static IEnumerable<(int Dlt, string Expression, FilterOptions Options)> Corpus(string root)
    {
        foreach (var (expression, options) in SuiteExpressions(Path.Combine(root, "tests", "Wirecap.Tests", "TestData", "Filter", "libpcap-cases.jsonl.gz")))
            foreach (var dlt in Dlts)
                yield return (dlt, expression, options);
        var random = new Random(20261203);
        for (var i = 0; i < RandomChains; i++)
        {
            var expression = RandomExpression(random);
            yield return (1, expression, new FilterOptions());
            if (i % 10 == 0)
                yield return (113, expression, new FilterOptions());
        }
        foreach (var expression in LongChains())
            yield return (1, expression, new FilterOptions());
        yield return (1, string.Join(" or ", Enumerable.Range(0, 1000).Select(i => $"port {i}")), new FilterOptions());
    }

    /// <summary>Every distinct expression of libpcap's suite (accept and reject cases), with its first case's snap length and netmask.</summary>
    private static IEnumerable<(string Expression, FilterOptions Options)> SuiteExpressions(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var seen = new HashSet<string>();
        while (reader.ReadLine() is { } line)
        {
            var e = JsonDocument.Parse(line).RootElement;
            if (e.TryGetProperty("special", out _) || !e.TryGetProperty("expr", out var x) || x.ValueKind != JsonValueKind.String)
                continue;
            var expression = x.GetString()!;
            if (!seen.Add(expression))
                continue;
            var options = new FilterOptions
            {
                Snaplen = e.TryGetProperty("snaplen", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetUInt32() : 262144,
                Netmask = e.TryGetProperty("netmask", out var m) && m.ValueKind == JsonValueKind.String ? System.Net.IPAddress.Parse(m.GetString()!) : null,
            };
            yield return (expression, options);
        }
    }

    private static string Term(Random random)
    {
        var term = Terms[random.Next(Terms.Length)];
        return random.Next(4) == 0 ? $"not {term}" : term;
    }

    private static string Chain(Random random)
    {
        var count = random.Next(2, 7);
        var op = random.Next(2) == 0 ? "and" : "or";
        return string.Join($" {op} ", Enumerable.Range(0, count).Select(_ => Term(random)));
    }

    private static string RandomExpression(Random random) => random.Next(4) switch
    {
        0 => Chain(random),
        1 => $"(tcp or udp) and ({Chain(random)})",
        2 => $"not ({Chain(random)})",
        _ => $"({Chain(random)}) {(random.Next(2) == 0 ? "and" : "or")} ({Chain(random)})",
    };

    private static IEnumerable<string> LongChains()
    {
        int[] lengths = [2, 3, 5, 8, 13, 20, 30, 50, 75, 100, 150, 200, 250];
        foreach (var n in lengths)
        {
            var range = Enumerable.Range(0, n).ToList();
            yield return string.Join(" or ", range.Select(i => $"port {i}"));
            yield return string.Join(" or ", range.Select(i => $"tcp port {i * 7 % 65536}"));
            yield return string.Join(" or ", range.Select(i => $"host 10.{i / 250}.{i % 250}.1"));
            yield return string.Join(" and ", range.Select(i => $"not port {i}"));
            yield return string.Join(" or ", range.Select(i => i % 2 == 0 ? $"src port {i}" : $"dst host 192.168.{i % 250}.{i / 250}"));
            if (n <= 100)
                yield return "(tcp or udp) and (" + string.Join(" or ", range.Select(i => $"port {i}")) + ")";
        }
    }
}
