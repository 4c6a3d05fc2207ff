using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

// ReadPair BEFORE_DIR THIS_DIR FILE PASSES span|async: loads bench/ReadLoops as built in each directory (each with its
// own Wirecap, or Capture, assembly) into its own load context, then alternates one pass of each over FILE, after 20
// warm-up pairs. Prints the median process CPU ms (user + system, every thread: async reads complete on pool threads)
// per pass of each, and the median and quartiles of the per-pair ratio this/before. One process and alternating
// passes: the machine's load, the page cache and the CPU's clock are the same for both sides of every pair, which
// separate processes on a shared machine never gave (their per-pass figures moved by ±50%).
if (args.Length != 5 || args[4] is not ("span" or "async"))
{
    Console.Error.WriteLine("usage: ReadPair BEFORE_DIR THIS_DIR FILE PASSES span|async");
    return 2;
}
string file = args[2];
int passes = int.Parse(args[3], CultureInfo.InvariantCulture);
bool async = args[4] == "async";
var before = Load(args[0], async);
var now = Load(args[1], async);
const int WarmUp = 20;
var beforeMs = new List<double>();
var thisMs = new List<double>();
var ratios = new List<double>();
for (int i = 0; i < passes + WarmUp; i++)
{
    double a = Time(before, file), b = Time(now, file);
    if (i < WarmUp) continue;
    beforeMs.Add(a);
    thisMs.Add(b);
    ratios.Add(b / a);
}
beforeMs.Sort();
thisMs.Sort();
ratios.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{Median(beforeMs):F2} {Median(thisMs):F2} {Median(ratios):F3} {ratios[ratios.Count / 4]:F3} {ratios[3 * ratios.Count / 4]:F3}"));
return 0;

static double Median(List<double> sorted) => sorted[sorted.Count / 2];

static Func<string, long> Load(string directory, bool async)
{
    var context = new DirectoryContext(Path.GetFullPath(directory));
    var loops = context.LoadFromAssemblyName(new AssemblyName("ReadLoops")).GetType("ReadLoops.Loops", throwOnError: true)!;
    if (!async) return loops.GetMethod("Read")!.CreateDelegate<Func<string, long>>();
    var read = loops.GetMethod("ReadAsync")!.CreateDelegate<Func<string, Task<long>>>();
    return path => read(path).GetAwaiter().GetResult();
}

static double Time(Func<string, long> pass, string file)
{
    var start = Environment.CpuUsage.TotalTime;
    if (pass(file) <= 0) throw new InvalidOperationException($"read nothing from {file}");
    return (Environment.CpuUsage.TotalTime - start).TotalMilliseconds;
}

// One build's assemblies, resolved from its own directory (its deps.json), apart from the other build's.
sealed class DirectoryContext(string directory) : AssemblyLoadContext(directory)
{
    private readonly AssemblyDependencyResolver _resolver = new(Path.Combine(directory, "ReadLoops.dll"));

    protected override Assembly? Load(AssemblyName name) =>
        _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
}
