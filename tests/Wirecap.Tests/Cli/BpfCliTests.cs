using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>wirecap -d/-dd/-ddd and --bpf-file, against tcpdump.</summary>
public sealed class BpfCliTests : TempDirectoryFixture
{
    private static string Tcpdump(string arguments) => Tool.RunOk("tcpdump", arguments);

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(TempDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestCase("-d")]
    [TestCase("-dd")]
    [TestCase("-ddd")]
    public void Prints_a_program_file_in_every_form_as_tcpdump_does(string flag)
    {
        Tool.Require("tcpdump");
        string expression = "tcp port 80 or udp and dst port 53";
        foreach (string form in new[] { "-d", "-dd", "-ddd" })
        {
            string file = WriteFile($"prog{form}.txt", Tcpdump($"{form} -y EN10MB \"{expression}\""));
            var (code, stdout, stderr, _) = CliRunner.Run(["--bpf-file", file, flag]);
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stdout, Is.EqualTo(Tcpdump($"{flag} -y EN10MB \"{expression}\"")), $"file in {form} form");
        }
    }

    [Test]
    public void Without_a_filter_prints_the_accept_everything_program()
    {
        Tool.Require("tcpdump");
        var (code, stdout, _, _) = CliRunner.Run(["-d"]);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo(Tcpdump("-d -y EN10MB")));
    }

    [Test]
    public void Prints_the_program_of_an_expression()
    {
        Tool.Require("tcpdump");
        var (code, stdout, stderr, _) = CliRunner.Run(["-dd", "udp"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(Tcpdump("-dd -y EN10MB udp")));
    }

    [Test]
    public void Filters_a_file_through_a_program_file()
    {
        Tool.Require("tcpdump");
        string program = WriteFile("udp.ddd", Tcpdump("-ddd -y EN10MB udp"));
        string output = Path.Combine(TempDir, "out.pcap");
        var (code, _, stderr, _) = CliRunner.Run(["-r", Repository.SamplePath, "--bpf-file", program, "-w", output]);
        Assert.That(code, Is.Zero, stderr);
        string expected = Tcpdump($"-n -r \"{Repository.SamplePath}\" udp");
        Assert.That(expected, Is.Not.Empty);
        Assert.That(Tcpdump($"-n -r \"{output}\""), Is.EqualTo(expected));
    }

    [Test]
    public void Truncates_to_the_length_the_program_returns()
    {
        string program = WriteFile("cut.txt", "(000) ret      #60\n");
        string output = Path.Combine(TempDir, "cut.pcap");
        var (code, _, stderr, _) = CliRunner.Run(["-r", Repository.SamplePath, "--bpf-file", program, "-w", output]);
        Assert.That(code, Is.Zero, stderr);
        int packets = 0;
        using var original = CaptureReader.Open(Repository.SamplePath);
        using var cut = CaptureReader.Open(output);
        while (original.Read())
        {
            Assert.That(cut.Read(), Is.True);
            Assert.That(cut.Current.Data.ToArray(), Is.EqualTo(original.Current.Data[..Math.Min(60, original.Current.Data.Length)].ToArray()));
            Assert.That(cut.Current.OriginalLength, Is.EqualTo(original.Current.OriginalLength));
            packets++;
        }
        Assert.That(cut.Read(), Is.False);
        Assert.That(packets, Is.GreaterThan(0));
    }

    [Test]
    public void A_file_that_is_not_a_program_is_an_expression_like_tcpdump_F()
    {
        Tool.Require("tcpdump");
        string file = WriteFile("expr.txt", "# DNS only\nudp port 53 # and nothing else\n");
        var (code, stdout, stderr, _) = CliRunner.Run(["--bpf-file", file, "-d"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(Tcpdump("-d -y EN10MB udp port 53")));
    }

    [Test]
    public void A_broken_program_is_reported_with_its_line()
    {
        string file = WriteFile("bad.txt", "(000) ldh      [12]\n(001) jeq      #0x800\n");
        var (code, _, stderr, _) = CliRunner.Run(["--bpf-file", file, "-d"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("line 2"));
        Assert.That(stderr, Does.Contain(file));
    }

    [Test]
    public void A_program_neither_checker_accepts_is_refused_with_the_rule()
    {
        string file = WriteFile("invalid.txt", "(000) ld       M[3]\n(001) ret      #0\n(002) ld       #0x1\n");
        var (code, _, stderr, _) = CliRunner.Run(["-r", Repository.SamplePath, "--bpf-file", file]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("MissingReturn"));
    }

    [Test]
    public void A_program_file_and_an_expression_together_are_a_usage_error()
    {
        string file = WriteFile("p.txt", "(000) ret      #-1\n");
        var (code, _, stderr, _) = CliRunner.Run(["-r", Repository.SamplePath, "--bpf-file", file, "udp"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("not both"));
    }
}
