using NUnit.Framework;
using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// The kernel's own classic BPF test suite (lib/test_bpf.c, 122 run-time tests with 172 vectors)
/// run through an engine. Subclass with another <see cref="IBpfRunner"/> to check another engine.
/// </summary>
public abstract class KernelVectorTests
{
    protected abstract IBpfRunner CreateRunner();

    public static IEnumerable<KernelVector> Runnable => KernelVector.Runnable;

    [TestCaseSource(nameof(Runnable))]
    public void Vector_gives_the_kernels_result(KernelVector test)
    {
        IBpfRunner runner = CreateRunner();
        BpfProgram program = BpfProgram.Create(test.Program);
        foreach (var (length, expected) in test.Vectors)
        {
            byte[] linear = test.Data.Length >= length ? test.Data[..length] : new byte[length];
            BpfContext context = test.Context(length);
            if (test.Fragment is null)
            {
                Assert.That(runner.Run(program, linear, context), Is.EqualTo(expected), $"{test} len {length}");
                Assert.That(runner.Run(program, Segments.Split(linear, length / 2), context), Is.EqualTo(expected),
                    $"{test} len {length}, two segments");
            }
            else
            {
                Assert.That(runner.Run(program, Segments.Of(linear, test.Fragment), context), Is.EqualTo(expected),
                    $"{test} len {length} + fragment");
                Assert.That(runner.Run(program, [.. linear, .. test.Fragment], context), Is.EqualTo(expected),
                    $"{test} len {length} + fragment, contiguous");
            }
        }
    }

    [Test]
    public void Suite_has_the_expected_size()
    {
        Assert.That(KernelVector.Runnable.Count(), Is.EqualTo(122));
        Assert.That(KernelVector.Runnable.Sum(v => v.Vectors.Length), Is.EqualTo(172));
        Assert.That(KernelVector.Rejected.Count(), Is.EqualTo(12));
    }
}

[TestFixture]
public sealed class InterpreterKernelVectorTests : KernelVectorTests
{
    protected override IBpfRunner CreateRunner() => new InterpreterRunner();
}

/// <summary>The twelve programs the kernel refuses at attach time.</summary>
public sealed class KernelRejectionTests
{
    public static IEnumerable<KernelVector> Rejected => KernelVector.Rejected;

    [TestCaseSource(nameof(Rejected))]
    public void Kernel_refuses(KernelVector test)
    {
        BpfValidationException? checker = BpfValidator.TryValidate(test.Program, BpfDialect.Kernel);
        if (test.Reject == "checker")
        {
            Assert.That(checker, Is.Not.Null, test.ToString());
        }
        else
        {
            Assert.That(checker, Is.Null, "passes the classic checker");
            var conversion = BpfValidator.CheckKernelJumpOffsets(test.Program);
            Assert.That(conversion?.Rule, Is.EqualTo(BpfValidationRule.ConvertedJumpTooFar));
            Assert.That(conversion!.InstructionIndex, Is.EqualTo(0));
        }
    }

    [TestCaseSource(nameof(Runnable))]
    public void Kernel_accepts_every_runnable_test(KernelVector test)
    {
        Assert.That(BpfValidator.TryValidate(test.Program, BpfDialect.Kernel), Is.Null);
        Assert.That(BpfValidator.CheckKernelJumpOffsets(test.Program), Is.Null);
    }

    public static IEnumerable<KernelVector> Runnable => KernelVector.Runnable;
}
