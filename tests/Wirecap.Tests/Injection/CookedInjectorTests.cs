using Wirecap.Bpf;
using Wirecap.Formats;
using Wirecap.Injection;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Injection;

public class CookedInjectorTests
{
    private const ushort EthPCan = 0x000C, EthPPppHdlc = 0x0007;
    private const ushort ArphrdCan = 280, ArphrdPpp = 512;

    // A classic CAN frame as SocketCAN lays it out: can_id, length, 3 pad bytes, 8 data bytes.
    private static readonly byte[] CanFrame = [0x23, 0x01, 0x00, 0x00, 4, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0];
    // PPP in HDLC-like framing without flags: address, control, protocol LCP (0xc021), Configure-Request id 1, length 4.
    private static readonly byte[] PppLcp = [0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04];

    [Test]
    public void InjectedFramesBecomeSll2RecordsThatTsharkDissectsWithTheirProtocol()
    {
        Tool.Require("tshark");
        var path = Path.Combine(Path.GetTempPath(), $"cooked-{Guid.NewGuid():N}.pcapng");
        try
        {
            using (var writer = CaptureWriter.Create(path, CaptureFormat.PcapNg, new CaptureWriterOptions
            {
                Interfaces = [new CaptureInterface { LinkType = LinkType.LinuxSll2, Name = "cooked" }],
            }))
            {
                var injector = new CookedInjector((in PacketRecord r) => writer.Write(r));
                Assert.That(injector.Inject(CanFrame, EthPCan, LinuxPacketType.Host, hardwareType: ArphrdCan), Is.True);
                Assert.That(injector.Inject(PppLcp, EthPPppHdlc, LinuxPacketType.Outgoing, [0x01], ArphrdPpp), Is.True);
                Assert.That(injector.Injected, Is.EqualTo(2));
            }
            var fields = Tool.RunOk("tshark", $"-r \"{path}\" -T fields -E separator=/s -e frame.protocols -e sll.pkttype -e sll.hatype -e sll.halen");
            var lines = fields.Trim().Split('\n');
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(lines[0], Does.StartWith("sll:can"));
            Assert.That(lines[0], Does.Contain(" 0 280 0"), "to us, ARPHRD_CAN, no address");
            Assert.That(lines[1], Does.StartWith("sll:ppp:lcp"));
            Assert.That(lines[1], Does.Contain(" 4 512 1"), "outgoing, ARPHRD_PPP, 1-byte address");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RecordsCarryTheHeaderTheDirectionAndTheWholeFrame()
    {
        byte[]? seen = null;
        uint flags = 0;
        var injector = new CookedInjector((in PacketRecord r) => { seen = r.Data.ToArray(); flags = r.Flags; },
            new CookedInjectorOptions { InterfaceIndex = 7, HardwareType = ArphrdCan });
        injector.Inject(CanFrame, EthPCan, LinuxPacketType.Outgoing, [0xaa, 0xbb]);
        Assert.That(seen![..20], Is.EqualTo(new byte[] { 0x00, 0x0c, 0, 0, 0, 0, 0, 7, 0x01, 0x18, 4, 2, 0xaa, 0xbb, 0, 0, 0, 0, 0, 0 }));
        Assert.That(seen[20..], Is.EqualTo(CanFrame));
        Assert.That(flags, Is.EqualTo(2u), "pcapng outbound");
    }

    [Test]
    public void TheFilterSeesTheCookedRecordAndItsContext()
    {
        // ldh [0]; jeq #0x000c jt 0 jf 1; ret #65535; ret #0 — and the same test on the ancillary protocol.
        var byHeader = BpfProgram.Create([
            BpfInstruction.Statement(BpfOpcode.LdAbsH, 0),
            BpfInstruction.Jump(BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcK, EthPCan, 0, 1),
            BpfInstruction.Statement(BpfOpcode.RetK, 65535),
            BpfInstruction.Statement(BpfOpcode.RetK, 0),
        ]);
        var byContext = BpfProgram.Create([
            BpfInstruction.Statement(BpfOpcode.LdAbsH, BpfAncillary.Base + BpfAncillary.Protocol),
            BpfInstruction.Jump(BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcK, EthPCan, 0, 1),
            BpfInstruction.Statement(BpfOpcode.RetK, 24),
            BpfInstruction.Statement(BpfOpcode.RetK, 0),
        ]);
        foreach (var (program, expectedLength) in new[] { (byHeader, 36), (byContext, 24) })
        {
            int delivered = 0, length = 0;
            var injector = new CookedInjector((in PacketRecord r) => { delivered++; length = r.Data.Length; }, filter: program);
            Assert.That(injector.Inject(PppLcp, EthPPppHdlc), Is.False);
            Assert.That(injector.Inject(CanFrame, EthPCan), Is.True);
            Assert.That((delivered, injector.Filtered, length), Is.EqualTo((1, 1L, expectedLength)), "the return value truncates, as in the kernel");
        }
    }

    [Test]
    public void ProtocolsOutsideTheAllowListAndLongAddressesAreRefused()
    {
        var injector = new CookedInjector((in PacketRecord _) => { }, new CookedInjectorOptions { AllowedProtocols = new HashSet<ushort> { EthPCan } });
        Assert.Throws<ArgumentException>(() => injector.Inject(PppLcp, EthPPppHdlc));
        Assert.Throws<ArgumentException>(() => injector.Inject(CanFrame, EthPCan, linkLayerAddress: new byte[9]));
        Assert.That(injector.Inject(CanFrame, EthPCan), Is.True);
    }
}
