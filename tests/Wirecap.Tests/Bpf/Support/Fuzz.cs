namespace Wirecap.Tests.Bpf.Support;

/// <summary>How many random cases a fuzz test runs: its small default, or CAPTURE_FUZZ_ITERATIONS for long runs.</summary>
public static class Fuzz
{
    public static int Iterations(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : defaultCount;

    /// <summary>The seed of a randomised test run, printed so a failure can be replayed (CAPTURE_FUZZ_SEED).</summary>
    public static int Seed()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();
        NUnit.Framework.TestContext.Out.WriteLine($"CAPTURE_FUZZ_SEED={seed}");
        return seed;
    }
}
