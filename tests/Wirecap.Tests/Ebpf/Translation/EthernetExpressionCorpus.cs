using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Tests.Filter;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>What the translation oracles run: the libpcap suite's applicable EN10MB accept cases (one per expression and
/// options), compiled for the kernel's dialect, and frames that exercise them which the test run takes.</summary>
internal sealed class EthernetExpressionCorpus
{
    private EthernetExpressionCorpus(IReadOnlyList<LibpcapCase> cases, IReadOnlyList<byte[]> frames)
    {
        Cases = cases;
        Frames = frames;
    }

    public IReadOnlyList<LibpcapCase> Cases { get; }

    /// <summary>Distinct frames from the packet corpus harvested for the expressions. The test run sees exactly the
    /// bytes it is given (so truncated frames stay truncated), if it takes them at all.</summary>
    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>Cases that reject everything (nothing to translate).</summary>
    public int RejectAll { get; private set; }

    /// <summary>Cases the kernel's classic checker refuses (protochain's backward jump), which no translation takes.</summary>
    public int NotKernel { get; private set; }

    public static EthernetExpressionCorpus Load()
    {
        var cases = LibpcapCases.Cases
            .Where(c => c.Kind == "accept" && c.Applicable && c.Dlt == 1)
            .GroupBy(c => (c.Expression, c.Snaplen, c.Netmask))
            .Select(g => g.First())
            .NonEmpty("applicable EN10MB accept cases");
        var harvest = new PacketCorpus.Harvest();
        foreach (var c in cases) harvest.Add(c.Expression);
        var frames = PacketCorpus.For(1, harvest).Select(p => p.Data).Where(TranslatedFilter.Runnable).DistinctBy(Convert.ToHexString).ToList();
        return new EthernetExpressionCorpus(cases, frames);
    }

    /// <summary>The case's program for the kernel's dialect, or null (counted) when there is nothing to translate.</summary>
    public BpfProgram? Compile(LibpcapCase c)
    {
        try
        {
            return BpfProgram.Create(FilterCompiler.CompileInstructions(c.Expression, 1, c.Options), BpfDialect.Kernel);
        }
        catch (FilterException e) when (e.Reason == "expression rejects all packets")
        {
            RejectAll++;
        }
        catch (BpfValidationException)
        {
            NotKernel++;
        }
        return null;
    }
}
