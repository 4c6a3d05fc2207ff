using System.Buffers;
using Wirecap.Bpf;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>Runs programs through <see cref="BpfFilter"/> compiled to IL (segmented packets go to its interpreter path).</summary>
public sealed class CompiledRunner : IBpfRunner
{
    public string Name => "IL compiler";

    public uint Run(BpfProgram program, ReadOnlySpan<byte> packet, in BpfContext context) => Compile(program).Run(packet, context);

    public uint Run(BpfProgram program, in ReadOnlySequence<byte> packet, in BpfContext context) => Compile(program).Run(packet, context);

    private static BpfFilter Compile(BpfProgram program)
    {
        var filter = BpfFilter.Create(program);
        Assert.That(filter.IsCompiled, Is.True, "the runtime supports dynamic code, so the filter must be compiled");
        return filter;
    }
}

/// <summary>The kernel's test_bpf vectors on the compiled form.</summary>
[TestFixture]
public sealed class CompiledKernelVectorTests : KernelVectorTests
{
    protected override IBpfRunner CreateRunner() => new CompiledRunner();
}
