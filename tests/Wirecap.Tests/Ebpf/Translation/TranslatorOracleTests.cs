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
/// The kernel as the oracle of the translation to direct packet access: every translated program passes the verifier,
/// and <c>BPF_PROG_TEST_RUN</c> of it gives, frame by frame, the snap length our interpreter gives the classic program
/// (min(result, length); 0 = reject).
/// </summary>
[TestFixture]
public class TranslatorOracleTests
{
    /// <summary>The ancillary loads the TC hook has, which random programs may use.</summary>
    internal static readonly int[] TcAncillary =
    [
        BpfAncillary.Protocol, BpfAncillary.PacketType, BpfAncillary.InterfaceIndex, BpfAncillary.Mark,
        BpfAncillary.Queue, BpfAncillary.ReceiveHash, BpfAncillary.AluXorX, BpfAncillary.VlanTag,
        BpfAncillary.VlanTagPresent, BpfAncillary.VlanTpid,
    ];

    [SetUp]
    public void RequireBpf() => EbpfTestSupport.RequireBpf();

    [Test]
    public void Every_ethernet_expression_of_the_libpcap_suite_keeps_in_the_kernel_what_the_interpreter_keeps()
    {
        var corpus = EthernetExpressionCorpus.Load();
        var frames = corpus.Frames;
        var mismatches = new List<string>();
        int translated = 0, runs = 0;
        foreach (var c in corpus.Cases)
        {
            if (corpus.Compile(c) is not { } program) continue;
            using var loaded = LoadOrFail(program, c.ToString());
            translated++;
            foreach (var frame in frames)
            {
                runs++;
                uint expected = TranslatedFilter.ExpectedResult(program, frame);
                uint actual = TranslatedFilter.KernelResult(loaded, frame);
                if (actual != expected && mismatches.Count < 20)
                    mismatches.Add($"{c}: kernel {actual}, interpreter {expected} on {BpfText.Hex(frame)}");
            }
        }
        TestContext.Out.WriteLine($"{translated} expressions translated and run on {frames.Count} frames ({runs} test runs); " +
                                  $"{corpus.NotKernel} not kernel programs, {corpus.RejectAll} reject everything");
        Assert.That(mismatches, Is.Empty);
        Assert.That(translated, Is.GreaterThan(corpus.Cases.Count / 2));
    }

    [Test]
    public void Random_valid_programs_keep_in_the_kernel_what_the_interpreter_keeps()
    {
        var cases = Gen.Choose(0, int.MaxValue);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Fuzz.Iterations(300)), Prop.ForAll(Arb.From(cases), seed => CheckRandom(seed)));
    }

    private static void CheckRandom(int seed)
    {
        var random = new Random(seed);
        var options = new RandomBpfOptions(BpfDialect.Kernel) { Ancillary = TcAncillary, NegativeOffsets = false, MaxOffset = 96 };
        var program = BpfProgram.Create(RandomBpf.Program(random, options), BpfDialect.Kernel);
        using var loaded = LoadOrFail(program, $"seed {seed}");
        for (int i = 0; i < 16; i++)
        {
            var frame = RandomFrame(random);
            uint mark = random.Next(3) == 0 ? 0 : (uint)random.NextInt64(1L << 32);
            uint expected = TranslatedFilter.ExpectedResult(program, frame, mark);
            uint actual = TranslatedFilter.KernelResult(loaded, frame, mark);
            if (actual != expected)
                Assert.Fail($"seed {seed}: kernel {actual} (0x{actual:x}), interpreter {expected} (0x{expected:x}), mark {mark}\n" +
                            $"program:\n{BpfText.Listing(program.Instructions.ToArray())}frame ({frame.Length} bytes): {BpfText.Hex(frame)}\n" +
                            $"eBPF:\n{CbpfTranslator.BuildClassifier(program)}");
        }
    }

    /// <summary>A frame the test run takes (at least an Ethernet header): realistic ones, short ones, junk.</summary>
    internal static byte[] RandomFrame(Random random)
    {
        byte[] frame = random.Next(4) == 0 ? new byte[random.Next(14, 140)] : SampleFrames.Next(random);
        if (frame.Length < 14) frame = [.. frame, .. new byte[14 - frame.Length]];
        if (random.Next(4) == 0) random.NextBytes(frame.AsSpan(random.Next(frame.Length)));
        if (random.Next(5) == 0) frame = frame[..random.Next(14, frame.Length + 1)];
        return TranslatedFilter.Runnable(frame) ? frame : [.. frame, .. new byte[54 - frame.Length]];
    }

    /// <summary>Translates and loads; a verifier refusal fails the test with the classic program and the eBPF.</summary>
    internal static EbpfProgram LoadOrFail(BpfProgram program, string what)
    {
        var code = CbpfTranslator.BuildClassifier(program);
        try
        {
            return EbpfTestSupport.LoadClassifier(code);
        }
        catch (EbpfVerifierException e)
        {
            Assert.Fail($"{what}: the verifier refused the translation: {e.Message}\nprogram:\n" +
                        $"{BpfText.Listing(program.Instructions.ToArray())}eBPF:\n{code}");
            throw;
        }
    }
}
