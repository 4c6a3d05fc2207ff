public class Program
{
    public static int Main(string[] args)
    {
        // Small timing modes for bench/side-by-side.sh; everything else goes to BenchmarkDotNet.
        if (Capture.Bench.Formats.PcapReadCommand.TryRun(args, out int exitCode)) return exitCode;
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
