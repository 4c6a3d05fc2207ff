using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.NativeAot;

namespace Wirecap.Bench.Bpf;

/// <summary>
/// <see cref="BpfFilterBenchmarks"/> twice: on the JIT (the default runtime) and compiled by NativeAOT, where no code
/// can be generated and both engines interpret. The NativeAOT compiler is the one the SDK restores from nuget.org
/// (BenchmarkDotNet's default asks the .NET nightly feed, which this machine cannot reach).
/// Run: <c>dotnet run -c Release --project bench/Wirecap.Bench -- --aot-filters</c>.
/// </summary>
public sealed class AotFilterConfig : ManualConfig
{
    public AotFilterConfig()
    {
        var jit = Job.Default.WithRuntime(CoreRuntime.Core10_0).WithWarmupCount(3).WithIterationCount(10).WithId("JIT");
        var aot = Job.Default.WithRuntime(NativeAotRuntime.Net10_0).WithWarmupCount(3).WithIterationCount(10).WithId("NativeAOT")
            .WithToolchain(NativeAotToolchain.CreateBuilder()
                .UseNuGet(RuntimeVersion(), "https://api.nuget.org/v3/index.json")
                .TargetFrameworkMoniker("net10.0")
                .ToToolchain());
        AddJob(jit.AsBaseline(), aot);
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        AddExporter(DefaultConfig.Instance.GetExporters().ToArray());
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.JoinSummary);
        WithBuildTimeout(TimeSpan.FromMinutes(30)); // a NativeAOT build on a loaded 2-core machine takes minutes
    }

    /// <summary>The running runtime's version (10.0.N): its ILCompiler package is the one the SDK has restored.</summary>
    private static string RuntimeVersion() =>
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.Split(' ')[^1];
}
