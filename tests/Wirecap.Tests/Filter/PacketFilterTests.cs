using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Tests.Bpf;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Bpf.BpfOpcode;
using static Wirecap.Tests.Filter.PacketBuilder;

namespace Wirecap.Tests.Filter;

/// <summary>
/// <see cref="PacketFilter"/>, the one filter every path runs: an expression and the program compiled from it agree
/// with libpcap on every link type, the IL and interpreter engines agree, the engine follows the runtime's dynamic
/// code support, the metadata comes from the link-layer header or the kernel's report, and running allocates nothing.
/// </summary>
[TestFixture]
public class PacketFilterTests
{
    private static readonly (LinkType LinkType, int Dlt)[] LinkTypes =
    [
        (LinkType.Ethernet, 1), (LinkType.LinuxSll, 113), (LinkType.LinuxSll2, 276), (LinkType.Raw, 12),
        (LinkType.Ipv4, 228), (LinkType.Ipv6, 229), (LinkType.Null, 0), (LinkType.Loop, 108),
    ];

    private static readonly string[] Expressions =
        ["udp", "tcp port 80", "ip6 or arp", "host 10.0.0.1 and not icmp", "greater 60", "ip[9] = 17 or ip6[6] = 58"];

    private static readonly PacketFilterOptions Interpreted = new() { Engine = new BpfFilterOptions { Compile = false } };

    [Test]
    public void Expressions_keep_what_libpcap_keeps_on_every_link_type_with_both_engines()
    {
        using var oracle = PcapOracle.Start();
        int compared = 0, kept = 0;
        foreach (var (linkType, dlt) in LinkTypes)
        {
            var harvest = new PacketCorpus.Harvest();
            foreach (var expression in Expressions) harvest.Add(expression);
            var corpus = PacketCorpus.For(dlt, harvest);
            foreach (var expression in Expressions)
            {
                if (oracle.Compile(dlt, 262144, null, optimize: true, expression).Program is null) continue; // libpcap refuses it here too
                var compiled = PacketFilter.Create(expression, linkType);
                var interpreted = PacketFilter.Create(expression, linkType, Interpreted);
                Assert.That(compiled.Engine, Is.EqualTo(PacketFilterEngine.Compiled));
                Assert.That(interpreted.Engine, Is.EqualTo(PacketFilterEngine.Interpreter));
                oracle.SetCorpus(corpus);
                oracle.Load(compiled.Program.Instructions.ToArray());
                var (reference, _) = oracle.RunAll();
                for (int i = 0; i < corpus.Count; i++)
                {
                    var packet = corpus[i];
                    string where = $"{expression} on {linkType}, {packet.Label}";
                    Assert.That(compiled.Matches(packet.Data, packet.WireLength), Is.EqualTo(reference[i] != 0), where);
                    Assert.That(interpreted.Run(packet.Data, packet.WireLength), Is.EqualTo(compiled.Run(packet.Data, packet.WireLength)), where);
                    compared++;
                    if (reference[i] != 0) kept++;
                }
            }
        }
        Assert.That(compared, Is.GreaterThan(1000));
        Assert.That(kept, Is.GreaterThan(0).And.LessThan(compared));
    }

    [Test]
    public void An_expression_and_the_program_compiled_from_it_are_the_same_filter()
    {
        var fromExpression = PacketFilter.Create("udp port 53", LinkType.Ethernet);
        var fromProgram = PacketFilter.Create(FilterCompiler.Compile("udp port 53", LinkType.Ethernet), LinkType.Ethernet);
        Assert.That(fromExpression.Expression, Is.EqualTo("udp port 53"));
        Assert.That(fromProgram.Expression, Is.Null);
        Assert.That(fromProgram.Program.Instructions.ToArray(), Is.EqualTo(fromExpression.Program.Instructions.ToArray()));
        var dns = Ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(40000, 53)));
        var web = Ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(40000, 80)));
        Assert.That(fromExpression.Run(dns), Is.EqualTo(262144u));
        Assert.That(fromProgram.Run(dns), Is.EqualTo(262144u));
        Assert.That(fromExpression.Matches(web), Is.False);
        Assert.That(fromProgram.Matches(web), Is.False);
    }

    [Test]
    public void A_bad_expression_is_a_filter_exception()
    {
        Assert.Throws<FilterException>(() => PacketFilter.Create("tcp port 70000", LinkType.Ethernet));
        Assert.Throws<FilterException>(() => PacketFilter.Create("ether host 1:2:3:4:5:6", LinkType.Raw));
    }

    [Test]
    public void The_engine_follows_the_runtimes_dynamic_code_support()
    {
        var program = FilterCompiler.Compile("tcp", LinkType.Ethernet);
        bool jit = RuntimeFeature.IsDynamicCodeSupported && RuntimeFeature.IsDynamicCodeCompiled;
        Assert.That(PacketFilter.Create(program, LinkType.Ethernet).Engine, Is.EqualTo(jit ? PacketFilterEngine.Compiled : PacketFilterEngine.Interpreter));
        // As under NativeAOT, where no code can be generated.
        var aot = new PacketFilterOptions { Engine = new BpfFilterOptions { DynamicCodeSupported = false } };
        Assert.That(PacketFilter.Create(program, LinkType.Ethernet, aot).Engine, Is.EqualTo(PacketFilterEngine.Interpreter));
        Assert.That(PacketFilter.Create("tcp", LinkType.Ethernet, aot).Engine, Is.EqualTo(PacketFilterEngine.Interpreter));
        Assert.That(PacketFilter.Create("tcp", LinkType.Ethernet, Interpreted).Engine, Is.EqualTo(PacketFilterEngine.Interpreter));
    }

    /// <summary>A kernel-dialect program that returns one ancillary value (plus one, so that 0 still passes).</summary>
    private static PacketFilter Reads(int ancillary, LinkType linkType, PacketFilterOptions? options = null) => PacketFilter.Create(BpfProgram.Create(
    [
        BpfInstruction.Statement(LdAbsW, BpfAncillary.Base + (uint)ancillary),
        BpfInstruction.Statement(ClassAlu | OpAdd | SrcK, 1),
        BpfInstruction.Statement(RetAcc),
    ], BpfDialect.Kernel), linkType, options);

    private static byte[] Sll2(ushort protocol, int interfaceIndex, ushort hardwareType, LinuxPacketType packetType, byte[] payload) =>
        Concat(U16(protocol), U16(0), U32((uint)interfaceIndex), U16(hardwareType), [(byte)packetType, 6], Mac("02:00:00:00:00:09"), [0, 0], payload);

    private static byte[] Sll(LinuxPacketType packetType, ushort hardwareType, ushort protocol, byte[] payload) =>
        Concat(U16((int)packetType), U16(hardwareType), U16(6), Mac("02:00:00:00:00:09"), [0, 0], U16(protocol), payload);

    [TestCase(true)]
    [TestCase(false)]
    public void The_metadata_comes_from_the_link_layer_header(bool compile)
    {
        var options = compile ? null : Interpreted;
        var ip = Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2));
        var sll2 = Sll2(0x0800, 7, 772, LinuxPacketType.Outgoing, ip);
        Assert.That(Reads(BpfAncillary.Protocol, LinkType.LinuxSll2, options).Run(sll2), Is.EqualTo(0x0801u));
        Assert.That(Reads(BpfAncillary.InterfaceIndex, LinkType.LinuxSll2, options).Run(sll2), Is.EqualTo(8u));
        Assert.That(Reads(BpfAncillary.HardwareType, LinkType.LinuxSll2, options).Run(sll2), Is.EqualTo(773u));
        Assert.That(Reads(BpfAncillary.PacketType, LinkType.LinuxSll2, options).Run(sll2), Is.EqualTo(5u));
        var sll = Sll(LinuxPacketType.Broadcast, 1, 0x86dd, Ipv6("::1", "::2", 17, Udp(1, 2)));
        Assert.That(Reads(BpfAncillary.Protocol, LinkType.LinuxSll, options).Run(sll), Is.EqualTo(0x86deu));
        Assert.That(Reads(BpfAncillary.PacketType, LinkType.LinuxSll, options).Run(sll), Is.EqualTo(2u));
        var ethernet = Ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0806, Arp(1, "10.0.0.1", "10.0.0.2"));
        Assert.That(Reads(BpfAncillary.Protocol, LinkType.Ethernet, options).Run(ethernet), Is.EqualTo(0x0807u));
        Assert.That(Reads(BpfAncillary.HardwareType, LinkType.Ethernet, options).Run(ethernet), Is.EqualTo(2u));
        Assert.That(Reads(BpfAncillary.Protocol, LinkType.Raw, options).Run(ip), Is.EqualTo(0x0801u));

        // The network header lies after the link-layer header: SKF_NET_OFF + 9 is the IPv4 protocol on every link type.
        var netProtocol = PacketFilter.Create(BpfProgram.Create(
            [BpfInstruction.Statement(LdAbsB, unchecked((uint)(BpfAncillary.NetOffset + 9))), BpfInstruction.Statement(RetAcc)], BpfDialect.Kernel),
            LinkType.LinuxSll2, options);
        Assert.That(netProtocol.Run(sll2), Is.EqualTo(17u));
        // len is the wire length, never less than what was captured.
        var length = PacketFilter.Create(BpfProgram.Create([BpfInstruction.Statement(LdLen), BpfInstruction.Statement(RetAcc)], BpfDialect.Kernel),
            LinkType.Ethernet, options);
        Assert.That(length.Run(ethernet, 1500), Is.EqualTo(1500u));
        Assert.That(length.Run(ethernet, 0), Is.EqualTo((uint)ethernet.Length));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_live_frames_kernel_metadata_is_what_the_program_reads(bool compile)
    {
        var options = compile ? null : Interpreted;
        var frame = Ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2)));
        var metadata = new LinuxPacketMetadata
        {
            Protocol = 0x0800, PacketType = LinuxPacketType.Multicast, InterfaceIndex = 41, HardwareType = 1,
            ReceiveHash = 0x1234, HasVlan = true, VlanTci = 0x2005, VlanTpid = 0x88a8,
        };
        uint Read(int ancillary) => Reads(ancillary, LinkType.Ethernet, options).Run(frame, frame.Length, metadata) - 1;
        Assert.That(Read(BpfAncillary.InterfaceIndex), Is.EqualTo(41u));
        Assert.That(Read(BpfAncillary.PacketType), Is.EqualTo(2u));
        Assert.That(Read(BpfAncillary.ReceiveHash), Is.EqualTo(0x1234u));
        Assert.That(Read(BpfAncillary.VlanTag), Is.EqualTo(0x2005u));
        Assert.That(Read(BpfAncillary.VlanTagPresent), Is.EqualTo(1u));
        Assert.That(Read(BpfAncillary.VlanTpid), Is.EqualTo(0x88a8u));
        // Without a tag held beside the frame the tag fields read 0, whatever the report's stale values.
        Assert.That(Reads(BpfAncillary.VlanTag, LinkType.Ethernet, options).Run(frame, frame.Length, metadata with { HasVlan = false }), Is.EqualTo(1u));
    }

    [Test]
    public void A_packet_in_segments_gives_the_contiguous_result_even_split_inside_the_link_header()
    {
        var filter = PacketFilter.Create(BpfProgram.Create(
            [BpfInstruction.Statement(LdAbsW, BpfAncillary.Base + BpfAncillary.InterfaceIndex), BpfInstruction.Statement(RetAcc)], BpfDialect.Kernel),
            LinkType.LinuxSll2);
        var udp = PacketFilter.Create("udp", LinkType.LinuxSll2);
        var packet = Sll2(0x0800, 3, 1, LinuxPacketType.Host, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2)));
        for (int split = 0; split <= packet.Length; split++)
        {
            var sequence = Segments.Split(packet, split);
            Assert.That(filter.Run(sequence), Is.EqualTo(3u), $"split at {split}");
            Assert.That(udp.Run(sequence, packet.Length), Is.EqualTo(udp.Run(packet)), $"split at {split}");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Running_allocates_nothing(bool compile)
    {
        var filter = PacketFilter.Create("udp or (tcp and not port 22)", LinkType.Ethernet, compile ? null : Interpreted);
        var live = Reads(BpfAncillary.InterfaceIndex, LinkType.Ethernet, compile ? null : Interpreted);
        var random = new Random(6);
        var frames = Enumerable.Range(0, 64).Select(_ => Wirecap.Testing.SampleFrames.Next(random)).ToArray();
        var metadata = new LinuxPacketMetadata { InterfaceIndex = 2, HasVlan = true, VlanTci = 5 };
        uint sum = 0;
        long allocated = Allocations.Quietest(6, () =>
        {
            for (int round = 0; round < 100; round++)
                foreach (var frame in frames)
                    sum += filter.Run(frame, frame.Length) + live.Run(frame, frame.Length, metadata);
        });
        Assert.That(allocated, Is.Zero, $"bytes allocated over {100 * frames.Length} runs (sum {sum})");
    }
}
