using Wirecap.Bpf;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

public sealed class AssemblerTests
{
    [TestCase("", 0)]
    [TestCase("ld [12]\n", 1)]
    [TestCase("(000) ldh      [12]\n(002) ret      #0\n", 2)]
    [TestCase("(000) ldh      [12]\n(001) frob     #0\n", 2)]
    [TestCase("(000) jeq      #0x800\n", 1)]
    [TestCase("(000) ret      #0           jt 1\tjf 2\n", 1)]
    [TestCase("(005) jeq      #0x800           jt 2\tjf 7\n", 1)]
    [TestCase("(000) ldxb     4*([14]&0xff)\n", 1)]
    [TestCase("(000) ld       [x + 99999999999]\n", 1)]
    [TestCase("3\n6 0 0 1\n6 0 0 2\n", 1)]
    [TestCase("2\n6 0 0 1\n6 0 0\n", 3)]
    [TestCase("1\n65536 0 0 1\n", 2)]
    [TestCase("{ 0x6, 0, 0, 0x00000001 },\n{ 0x6, 0, 0x00000001 },\n", 2)]
    [TestCase("{ 0x6, 0, 0, 0x0000000g },\n", 1)]
    public void Malformed_text_is_refused_naming_the_line(string text, int line)
    {
        var error = Assert.Throws<BpfAssemblyException>(() => BpfAssembler.Parse(text));
        Assert.That(error!.LineNumber, Is.EqualTo(line));
        if (line > 0)
            Assert.That(error.Message, Does.Contain($"line {line}"));
    }

    [Test]
    public void Accepts_crlf_blank_lines_and_libpcap_master_spellings()
    {
        BpfInstruction[] program = BpfAssembler.Parse("\r\n(000) ldx      #pktlen\r\n\r\n(001) ret      a\r\n");
        Assert.That(program, Is.EqualTo(new[] { new BpfInstruction(BpfOpcode.LdxLen, 0, 0, 0), new BpfInstruction(BpfOpcode.RetAcc, 0, 0, 0) }));
    }

    [Test]
    public void Reads_ancillary_names_negative_numbers_and_backward_jumps()
    {
        BpfInstruction[] program = BpfAssembler.Parse("(000) ld       [vlan_tpid]\n(001) add      #-1\n(002) ja       0\n(003) ld       M[-1]\n");
        Assert.That(program[0].K, Is.EqualTo(0xfffff03cu));
        Assert.That(program[1].K, Is.EqualTo(0xffffffffu));
        Assert.That(program[2].K, Is.EqualTo(unchecked((uint)-3)));
        Assert.That(program[3].K, Is.EqualTo(0xffffffffu));
    }
}
