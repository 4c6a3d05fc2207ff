using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using Wirecap.Filter;
using Wirecap.Tests.Bpf.Support;
using Wirecap.Tests.Filter;
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
        var frames = corpus.Frames;
        var random = new Random(1415);
        var mismatches = new List<string>();
        int translated = 0, refused = 0, runs = 0;
        foreach (var c in corpus.Cases)
        {
            if (corpus.Compile(c) is not { } program) continue;
            CopiedFilterHarness harness;
            try
            {
                harness = LoadOrFail(program, c.ToString());
            }
            catch (CbpfTranslationException e)
            {
                // Only socket-buffer metadata is out of reach of a copy; nothing else may be refused.
                Assert.That(e.Message, Does.Contain("ancillary").Or.Contain("SKF_"), $"{c}: {e.Message}");
                refused++;
                continue;
            }
            using (harness)
            {
                translated++;
                foreach (var frame in frames)
                {
                    // Half the frames whole, half cut at random: loads past the copied bytes must reject, as libpcap's
                    // do past the captured length. (A test run here costs about 4 of the direct oracle's.)
                    int limit = random.Next(2) == 0 ? 0 : random.Next(1, frame.Length + 1);
                    runs++;
                    uint expected = harness.ExpectedResult(program, frame, limit);
                    uint actual = harness.KernelResult(frame, limit);
                    if (actual != expected && mismatches.Count < 20)
                        mismatches.Add($"{c}: kernel {actual}, interpreter {expected}, copy limit {limit} on {BpfText.Hex(frame)}");
                }
            }
        }
        TestContext.Out.WriteLine($"{translated} expressions translated and run on {frames.Count} frames ({runs} test runs); " +
                                  $"{refused} refused (metadata), {corpus.NotKernel} not kernel programs, {corpus.RejectAll} reject everything");
        Assert.That(mismatches, Is.Empty);
        Assert.That(translated, Is.GreaterThan(corpus.Cases.Count / 2));
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
        for (int i = 0; i < 16; i++)
        {
            var frame = TranslatorOracleTests.RandomFrame(random);
            int limit = random.Next(3) == 0 ? random.Next(1, frame.Length + 1) : 0;
            uint expected = harness.ExpectedResult(program, frame, limit);
            uint actual = harness.KernelResult(frame, limit);
            if (actual != expected)
                Assert.Fail($"seed {seed}: kernel {actual} (0x{actual:x}), interpreter {expected} (0x{expected:x}), capacity {capacity}, copy limit {limit}\n" +
                            $"program:\n{BpfText.Listing(program.Instructions.ToArray())}frame ({frame.Length} bytes): {BpfText.Hex(frame)}\n" +
                            $"eBPF:\n{harness.Code}");
        }
    }

    /// <summary>Translates and loads; a verifier refusal fails the test with the classic program and the eBPF.</summary>
    private static CopiedFilterHarness LoadOrFail(BpfProgram program, string what, int capacity = Capacity)
    {
        try
        {
            return new CopiedFilterHarness(program, capacity);
        }
        catch (EbpfVerifierException e)
        {
            Assert.Fail($"{what}: the verifier refused the copied-buffer translation: {e.Message}\nprogram:\n" +
                        $"{BpfText.Listing(program.Instructions.ToArray())}");
            throw;
        }
    }
}
