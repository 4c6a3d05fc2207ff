using Wirecap.Bpf;
using Wirecap.Ebpf.Translation;
using Wirecap.Tests.Bpf.Support;
using Wirecap.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>
/// The kernel as the oracle of the copied-buffer translation, the one probes run (<see cref="CopiedFilterHarness"/>):
/// every translated program passes the verifier over a ring-buffer record, and its result for a frame copied whole or
/// cut short equals our interpreter's over the same copied bytes (0 = reject, else the snap length, min(result, len)).
/// </summary>
[TestFixture]
public class CopiedTranslatorOracleTests
{
    private const int Capacity = 2048;

    [SetUp]
    public void RequireBpf() => EbpfTestSupport.RequireBpf();

    [Test]
    public void Every_ethernet_expression_of_the_libpcap_suite_keeps_over_a_copy_what_the_interpreter_keeps()
    {
        var corpus = EthernetExpressionCorpus.Load();
        var random = new Random(1415);
        int refused = 0;
        KernelOracle.RunCorpus(corpus, (program, what) =>
            {
                try
                {
                    return LoadOrFail(program, what);
                }
                catch (CbpfTranslationException e)
                {
                    // Only socket-buffer metadata is out of reach of a copy; nothing else may be refused.
                    Assert.That(e.Message, Does.Contain("ancillary").Or.Contain("SKF_"), $"{what}: {e.Message}");
                    refused++;
                    return null;
                }
            },
            (harness, program, frame) =>
            {
                // Half the frames whole, half cut at random: loads past the copied bytes must reject, as libpcap's
                // do past the captured length. (A test run here costs about 4 of the direct oracle's.)
                int limit = random.Next(2) == 0 ? 0 : random.Next(1, frame.Length + 1);
                return new(harness.ExpectedResult(program, frame, limit), harness.KernelResult(frame, limit), $", copy limit {limit}");
            },
            totals => $"{totals.Translated} expressions translated and run on {corpus.Frames.Count} frames ({totals.Runs} test runs); " +
                      $"{refused} refused (metadata), {corpus.NotKernel} not kernel programs, {corpus.RejectAll} reject everything");
    }

    [Test]
    public void Random_valid_programs_keep_over_a_copy_what_the_interpreter_keeps()
    {
        var cases = Gen.Choose(0, int.MaxValue);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Fuzz.Iterations(300)), Prop.ForAll(Arb.From(cases), seed => CheckRandom(seed)));
    }

    private static void CheckRandom(int seed)
    {
        var random = new Random(seed);
        // A copy has no socket-buffer metadata: of the ancillary loads only the XOR of A and X is left.
        var options = new RandomBpfOptions(BpfDialect.Kernel) { Ancillary = [BpfAncillary.AluXorX], NegativeOffsets = false, MaxOffset = 96 };
        var program = BpfProgram.Create(RandomBpf.Program(random, options), BpfDialect.Kernel);
        // Small capacities too, so loads beyond the buffer (certain rejects) and beyond the copy (runtime rejects) both occur.
        int capacity = random.Next(3) == 0 ? random.Next(1, 64) : 256;
        using var harness = LoadOrFail(program, $"seed {seed}", capacity);
        KernelOracle.RunRandomFrames(seed, random, program, harness.Code, frame =>
        {
            int limit = random.Next(3) == 0 ? random.Next(1, frame.Length + 1) : 0;
            return new(harness.ExpectedResult(program, frame, limit), harness.KernelResult(frame, limit), $", capacity {capacity}, copy limit {limit}");
        });
    }

    /// <summary>Translates and loads; a verifier refusal fails the test with the classic program.</summary>
    private static CopiedFilterHarness LoadOrFail(BpfProgram program, string what, int capacity = Capacity) =>
        KernelOracle.LoadOrFail(() => new CopiedFilterHarness(program, capacity), program, what, "copied-buffer translation");
}
