// A test harness that captures the traffic of its own in-process protocols: a simulated CAN bus
// (a diagnostic tester and an ECU) and a PPP link negotiating LCP. Each frame is handed to a
// CookedInjector with its ETH_P_* protocol type; the LINUX_SLL2 records go into a pcapng file that
// Wireshark or tshark dissect as CAN and PPP.
//
//   dotnet run --project samples/CookedInjection -- harness.pcapng
using Wirecap;
using Wirecap.Formats;
using Wirecap.Injection;
using Wirecap.Sinks;
using CookedInjectionSample;

string path = args.Length > 0 ? args[0] : "harness.pcapng";
using var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
{
    Format = CaptureFormat.PcapNg,
    Writer = new CaptureWriterOptions { LinkType = LinkType.LinuxSll2 },
    Flush = FlushPolicy.EveryPacket,
});
var injector = new CookedInjector((in PacketRecord record) => sink.Write(record), new CookedInjectorOptions
{
    AllowedProtocols = new HashSet<ushort> { Protocols.Can, Protocols.PppHdlc },
});

var bus = new SimulatedCanBus(injector);
bus.RequestEngineSpeed();
bus.RequestVehicleSpeed();

var link = new SimulatedPppLink(injector);
link.Negotiate();

Console.WriteLine($"{injector.Injected} frames injected into {path}");
