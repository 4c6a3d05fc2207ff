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
        KernelOracle.RunCorpus(corpus, LoadOrFail,
            (loaded, program, frame) => new(TranslatedFilter.ExpectedResult(program, frame), TranslatedFilter.KernelResult(loaded, frame), ""),
            totals => $"{totals.Translated} expressions translated and run on {corpus.Frames.Count} frames ({totals.Runs} test runs); " +
                      $"{corpus.NotKernel} not kernel programs, {corpus.RejectAll} reject everything");
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
        KernelOracle.RunRandomFrames(seed, random, program, CbpfTranslator.BuildClassifier(program), frame =>
        {
            uint mark = random.Next(3) == 0 ? 0 : (uint)random.NextInt64(1L << 32);
            return new(TranslatedFilter.ExpectedResult(program, frame, mark), TranslatedFilter.KernelResult(loaded, frame, mark), $", mark {mark}");
        });
    }

    /// <summary>Translates and loads; a verifier refusal fails the test with the classic program and the eBPF.</summary>
    internal static EbpfProgram LoadOrFail(BpfProgram program, string what)
    {
        var code = CbpfTranslator.BuildClassifier(program);
        return KernelOracle.LoadOrFail(() => EbpfTestSupport.LoadClassifier(code), program, what, "translation", code);
    }
}
