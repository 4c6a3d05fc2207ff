using System.Net;
using BenchmarkDotNet.Attributes;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;

namespace Wirecap.Bench.Ncap;

/// <summary>
/// NCAP datagrams on loopback, reported per message (one operation = one message): the sender alone
/// (datagrams to a socket nobody reads, so the kernel drops what overflows), and sender → receiver
/// in batches of <see cref="Batch"/> (sent, then all received: nothing can be lost, and the loss
/// check throws if anything is).
/// </summary>
[MemoryDiagnoser]
public class NcapDatagramBenchmarks
{
    private const int Messages = 1024, Batch = 32;

    [Params(64, 512)]
    public int PayloadSize { get; set; }

    private NcapDatagramReceiver _receiver = null!;
    private NcapDatagramSender _sender = null!;
    private NcapDatagramReceiver _unread = null!;
    private NcapDatagramSender _blindSender = null!;
    private byte[] _payload = [];
    private readonly byte[] _source = [10, 0, 0, 1], _destination = [10, 0, 0, 2];

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        _receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sender = NcapDatagramSender.Connect("127.0.0.1", _receiver.LocalEndPoint.Port);
        _unread = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _blindSender = NcapDatagramSender.Connect("127.0.0.1", _unread.LocalEndPoint.Port);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _blindSender.Dispose();
        _unread.Dispose();
    }

    private NcapRecord Record(int i) => new()
    {
        Seconds = 1_700_000_000, Nanoseconds = (uint)i, Network = NcapNetwork.IPv4, Source = _source, Destination = _destination,
        Transport = NcapTransport.Udp, SourcePort = 1111, DestinationPort = 53, Payload = _payload,
    };

    [Benchmark(OperationsPerInvoke = Messages)]
    public long SendOnly()
    {
        for (int i = 0; i < Messages; i++) _blindSender.Send(Record(i));
        return _blindSender.MessagesSent;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long SendAndReceive()
    {
        long received = 0;
        for (int sent = 0; sent < Messages; sent += Batch)
        {
            for (int i = 0; i < Batch; i++) _sender.Send(Record(sent + i));
            for (int i = 0; i < Batch; i++)
            {
                if (!_receiver.TryReceive(out _, out _, TimeSpan.FromSeconds(1)))
                    throw new InvalidOperationException($"lost a datagram: {_receiver.Gaps} gaps after {received} messages");
                received++;
            }
        }
        return received;
    }
}
