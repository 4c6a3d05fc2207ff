using NUnit.Framework;
using Wirecap.Filter;

namespace Wirecap.Tests.Filter;

/// <summary>libpcap's own filter test suite (accept and reject cases) on the link types we compile for.</summary>
[TestFixture]
public class LibpcapSuiteTests
{
    private static IEnumerable<LibpcapCase> Applicable(string kind) =>
        LibpcapCases.Cases.Where(c => c.Kind == kind && c.Applicable).NonEmpty($"applicable {kind} cases");

    [Test]
    public void Every_accept_case_compiles()
    {
        var failures = new List<string>();
        var counts = new SortedDictionary<string, (int Pass, int Total)>();
        foreach (var c in Applicable("accept"))
        {
            var ok = true;
            try
            {
                FilterCompiler.CompileInstructions(c.Expression, c.Dlt, c.Options);
            }
            catch (FilterException e)
            {
                // An accept block whose optimized leg is missing expects the optimizer to refuse.
                ok = c.Expected is null && e.Reason == "expression rejects all packets";
                if (!ok)
                    failures.Add($"{c}: {e.Message}");
            }
            catch (Exception e)
            {
                ok = false;
                failures.Add($"{c}: CRASH {e.GetType().Name} {e.Message} {e.StackTrace?.Split('\n')[0]}");
            }
            var (pass, total) = counts.GetValueOrDefault(c.LinkType!);
            counts[c.LinkType!] = (pass + (ok ? 1 : 0), total + 1);
        }
        foreach (var (dlt, (pass, total)) in counts)
            TestContext.Out.WriteLine($"accept {dlt}: {pass}/{total}");
        foreach (var f in failures.Take(200))
            TestContext.Out.WriteLine(f);
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Every_reject_case_is_refused()
    {
        var accepted = new List<string>();
        var wrongText = new List<string>();
        var counts = new SortedDictionary<string, (int Refused, int TextMatch, int Total)>();
        foreach (var c in Applicable("reject"))
        {
            var refused = false;
            var matched = false;
            try
            {
                FilterCompiler.CompileInstructions(c.Expression, c.Dlt, c.Options with { Optimize = true });
                accepted.Add(c.ToString());
            }
            catch (FilterException e)
            {
                refused = true;
                matched = e.Reason.Contains(c.Error!, StringComparison.Ordinal);
                if (!matched)
                    wrongText.Add($"{c}: expected '{c.Error}', got '{e.Reason}'");
            }
            catch (Exception e)
            {
                accepted.Add($"{c}: CRASH {e.GetType().Name} {e.Message} {e.StackTrace?.Split('\n')[0]}");
            }
            var (r, m, t) = counts.GetValueOrDefault(c.LinkType!);
            counts[c.LinkType!] = (r + (refused ? 1 : 0), m + (matched ? 1 : 0), t + 1);
        }
        foreach (var (dlt, (r, m, t)) in counts)
            TestContext.Out.WriteLine($"reject {dlt}: refused {r}/{t}, libpcap's text {m}/{t}");
        foreach (var f in accepted.Take(100))
            TestContext.Out.WriteLine("ACCEPTED " + f);
        foreach (var f in wrongText.Take(150))
            TestContext.Out.WriteLine("TEXT " + f);
        Assert.That(accepted, Is.Empty);
    }
}
