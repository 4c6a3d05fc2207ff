using System.Diagnostics;
using NUnit.Framework;
using Wirecap.Filter;
using Wirecap.Filter.Syntax;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Nesting of any depth ends in a <see cref="FilterException"/> naming its column, on a thread with a 256 KiB stack
/// as on any other, and in the command line's usage exit code, never in a stack overflow. The deepest nesting
/// accepted compiles on that small stack too.
/// </summary>
[TestFixture]
public class NestingTests
{
    private const int SmallStack = 256 * 1024;

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    /// <summary>Each nesting form, <paramref name="n"/> levels deep, with the column where level n starts (one-based).</summary>
    private static IEnumerable<(string Form, string Expression, int LevelColumn)> Forms(int n) =>
    [
        ("parentheses", Repeat("(", n) + "tcp" + Repeat(")", n), n),
        ("not", Repeat("not ", n) + "tcp", 4 * (n - 1) + 1),
        ("!", Repeat("!", n) + "tcp", n),
        ("unary minus", "ip[0] = " + Repeat("-", n) + "1", 8 + n),
        ("ip[", Repeat("ip[", n) + "0" + Repeat("]", n) + " = 0", 3 * (n - 1) + 3),
        ("arithmetic parentheses", Repeat("(", n) + "len" + Repeat(")", n) + " > 1", n),
        ("id list", "host " + Repeat("(", n) + "10.0.0.1" + Repeat(")", n), 5 + n),
        ("nested or", string.Concat(Enumerable.Range(0, n).Select(i => $"port {i % 10} or (")) + "tcp" + Repeat(")", n), 0),
    ];

    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, SmallStack);
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        return result;
    }

    [Test]
    public void Ten_thousand_levels_end_in_a_filter_exception_with_the_column([Values] bool smallStack)
    {
        foreach (var (form, expression, _) in Forms(10_000))
        {
            FilterException? caught = null;
            Func<FilterException?> compile = () =>
            {
                try
                {
                    FilterCompiler.CompileInstructions(expression, LinkType.Ethernet);
                    return null;
                }
                catch (FilterException e)
                {
                    return e;
                }
            };
            caught = smallStack ? OnSmallStack(compile) : compile();
            Assert.That(caught, Is.Not.Null, form);
            Assert.That(caught!.Reason, Does.Contain("nested too deeply"), form);
            Assert.That(caught.Column, Is.GreaterThan(0), form);
            Assert.That(caught.Message, Does.Contain($"column {caught.Column}"), form);
        }
    }

    [Test]
    public void The_error_names_the_column_of_the_first_level_too_deep()
    {
        foreach (var (form, expression, column) in Forms(Nesting.MaxDepth + 1).Where(f => f.LevelColumn > 0))
        {
            var e = Assert.Throws<FilterException>(() => FilterCompiler.CompileInstructions(expression, LinkType.Ethernet), form)!;
            Assert.That(e.Column, Is.EqualTo(column), $"{form}: {e.Message}");
        }
    }

    [Test]
    public void The_deepest_accepted_nesting_compiles_on_a_256_KiB_stack()
    {
        foreach (var (form, expression, _) in Forms(Nesting.MaxDepth))
        {
            var program = OnSmallStack(() => FilterCompiler.Compile(expression, LinkType.Ethernet, new FilterOptions { Optimize = false }));
            Assert.That(program.Length, Is.GreaterThan(1), form);
        }
    }

    [Test]
    public void A_long_and_or_chain_compiles_on_a_256_KiB_stack()
    {
        // and/or chains group from the left, so 20,000 terms make a spine 20,000 deep: walked in loops, not recursion.
        var chain = string.Join(" or ", Enumerable.Range(0, 20_000).Select(i => i % 2 == 0 ? $"port {i % 65536}" : $"host 10.0.{i / 256 % 256}.{i % 256} and tcp"));
        var program = OnSmallStack(() => FilterCompiler.CompileInstructions(chain, LinkType.Ethernet, new FilterOptions { Optimize = false }));
        Assert.That(program, Has.Length.GreaterThan(20_000));
    }

    [Test]
    public void A_message_quotes_at_most_64_characters_of_a_token()
    {
        var name = new string('a', 100_000);
        foreach (var expression in new[] { $"host {name}", $"port {name}", $"net {name}", $"ether host {name}", $"llc {name}", $"tcp port 0{name}" })
        {
            var e = Assert.Throws(Is.InstanceOf<FilterException>(), () => FilterCompiler.CompileInstructions(expression, LinkType.Ethernet,
                new FilterOptions { Resolver = new NoNames() }))! as FilterException;
            Assert.That(e!.Column, Is.GreaterThan(0), expression[..20]);
            Assert.That(e.Message, Has.Length.LessThan(200), expression[..20]);
            Assert.That(e.Message, Does.Not.Contain(new string('a', 65)), expression[..20]);
        }
    }

    [Test]
    public void The_command_line_exits_with_its_usage_code_and_the_column()
    {
        string cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "Wirecap.Cli.dll");
        foreach (var (form, expression, _) in Forms(10_000).Where(f => f.Form is "parentheses" or "not" or "!" or "unary minus" or "ip["))
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { cli, "-d", expression })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            Assert.That(process.WaitForExit(120_000), Is.True, form);
            Assert.That(process.ExitCode, Is.EqualTo(2), $"{form}: {stderr.Result}");
            Assert.That(stderr.Result, Does.Contain("nested too deeply").And.Contain("column"), form);
        }
    }

    /// <summary>Resolves nothing, so that long names fail without asking the system's resolver.</summary>
    private sealed class NoNames : IFilterNameResolver
    {
        public IReadOnlyList<System.Net.IPAddress> ResolveHost(string name) => [];
        public System.Net.NetworkInformation.PhysicalAddress? ResolveEthernet(string name) => null;
        public uint? ResolveNetwork(string name) => null;
        public int? ResolveService(string name, string protocol) => null;
        public int? ResolveProtocol(string name) => null;
    }
}
