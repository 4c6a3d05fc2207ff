using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Tests.Bpf.Support;
using NUnit.Framework;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>
/// What the translator's oracle tests share, direct packet access (<see cref="TranslatorOracleTests"/>) and the copied
/// buffer (<see cref="CopiedTranslatorOracleTests"/>) alike: each program loaded into the kernel (a verifier refusal
/// fails with the listing), then run frame by frame there and in our interpreter, the two results compared.
/// </summary>
internal static class KernelOracle
{
    /// <summary>One frame's run: the interpreter's result, the kernel's, and the run's inputs besides the frame
    /// (printed with a mismatch).</summary>
    internal readonly record struct Outcome(uint Expected, uint Actual, string Inputs);

    /// <summary>The programs loaded and the frames run.</summary>
    internal readonly record struct Totals(int Translated, int Runs);

    /// <summary>Every program of the corpus on every one of its frames; <paramref name="load"/> gives null for a program
    /// it refuses (and counts it). Writes <paramref name="report"/> of the totals, then fails with the first 20
    /// mismatches, or when fewer than half the cases were translated.</summary>
    public static void RunCorpus<TLoaded>(EthernetExpressionCorpus corpus, Func<BpfProgram, string, TLoaded?> load,
        Func<TLoaded, BpfProgram, byte[], Outcome> run, Func<Totals, string> report)
        where TLoaded : class, IDisposable
    {
        var mismatches = new List<string>();
        int translated = 0, runs = 0;
        foreach (var c in corpus.Cases)
        {
            if (corpus.Compile(c) is not { } program) continue;
            using var loaded = load(program, c.ToString());
            if (loaded is null) continue;
            translated++;
            foreach (var frame in corpus.Frames)
            {
                runs++;
                var outcome = run(loaded, program, frame);
                if (outcome.Actual != outcome.Expected && mismatches.Count < 20)
                    mismatches.Add($"{c}: kernel {outcome.Actual}, interpreter {outcome.Expected}{outcome.Inputs} on {BpfText.Hex(frame)}");
            }
        }
        TestContext.Out.WriteLine(report(new Totals(translated, runs)));
        Assert.That(mismatches, Is.Empty);
        Assert.That(translated, Is.GreaterThan(corpus.Cases.Count / 2));
    }

    /// <summary>16 random frames (<see cref="RandomFrame"/>) through a loaded program; the first mismatch fails with the
    /// seed, the inputs, the classic program, the frame and the eBPF.</summary>
    public static void RunRandomFrames(int seed, Random random, BpfProgram program, object ebpf, Func<byte[], Outcome> run)
    {
        for (int i = 0; i < 16; i++)
        {
            var frame = RandomFrame(random);
            var outcome = run(frame);
            if (outcome.Actual != outcome.Expected)
                Assert.Fail($"seed {seed}: kernel {outcome.Actual} (0x{outcome.Actual:x}), interpreter {outcome.Expected} (0x{outcome.Expected:x}){outcome.Inputs}\n" +
                            $"program:\n{BpfText.Listing(program.Instructions.ToArray())}frame ({frame.Length} bytes): {BpfText.Hex(frame)}\n" +
                            $"eBPF:\n{ebpf}");
        }
    }

    /// <summary>Loads; a verifier refusal fails the test with the classic program (and the eBPF, when there is one).</summary>
    public static T LoadOrFail<T>(Func<T> load, BpfProgram program, string what, string translation, object? ebpf = null)
    {
        try
        {
            return load();
        }
        catch (EbpfVerifierException e)
        {
            Assert.Fail($"{what}: the verifier refused the {translation}: {e.Message}\nprogram:\n" +
                        $"{BpfText.Listing(program.Instructions.ToArray())}" + (ebpf is null ? "" : $"eBPF:\n{ebpf}"));
            throw;
        }
    }

    /// <summary>A frame the test run takes (at least an Ethernet header): realistic ones, short ones, junk.</summary>
    public static byte[] RandomFrame(Random random)
    {
        byte[] frame = random.Next(4) == 0 ? new byte[random.Next(14, 140)] : SampleFrames.Next(random);
        if (frame.Length < 14) frame = [.. frame, .. new byte[14 - frame.Length]];
        if (random.Next(4) == 0) random.NextBytes(frame.AsSpan(random.Next(frame.Length)));
        if (random.Next(5) == 0) frame = frame[..random.Next(14, frame.Length + 1)];
        return TranslatedFilter.Runnable(frame) ? frame : [.. frame, .. new byte[54 - frame.Length]];
    }
}
