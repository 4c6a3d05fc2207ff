using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wirecap.Linux;

namespace Wirecap.Bench.Live;

/// <summary>How long one lone packet takes from send to the capture callback: UDP datagrams to 127.0.0.1, a few
/// milliseconds apart, each carrying its send time, captured on <c>lo</c> (run it in a network namespace so no other
/// traffic shares <c>lo</c>). Prints the latency distribution in microseconds.</summary>
internal static class LiveLatency
{
    private const int Port = 9;

    public static void Run(int packets, bool immediate, int blockTimeoutMs)
    {
        using var capture = PacketCapture.Open(new PacketCaptureOptions
        {
            Interface = "lo",
            RingSize = 4 << 20,
            BlockSize = 1 << 16,
            BlockTimeout = TimeSpan.FromMilliseconds(blockTimeoutMs),
            Immediate = immediate,
            FilterExpression = $"udp dst port {Port}",
        });
        var sender = new Thread(() => Send(packets)) { IsBackground = true };
        var latencies = new List<double>(packets);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10 + packets * 0.02));
        sender.Start();
        capture.Capture((in CapturedFrame frame) =>
        {
            var now = Stopwatch.GetTimestamp();
            var sent = BinaryPrimitives.ReadInt64LittleEndian(frame.Data[^8..]);
            latencies.Add((now - sent) * 1e6 / Stopwatch.Frequency);
        }, packets, deadline.Token);
        latencies.Sort();
        double At(double q) => latencies[(int)Math.Min(latencies.Count - 1, q * latencies.Count)];
        Console.WriteLine(latencies.Count == 0
            ? "no packets captured"
            : $"{(immediate ? "immediate" : $"block timeout {blockTimeoutMs} ms")}: n={latencies.Count} latency us: min {latencies[0]:F1} " +
              $"median {At(0.5):F1} p90 {At(0.9):F1} p99 {At(0.99):F1} max {latencies[^1]:F1}");
    }

    private static void Send(int packets)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, Port);
        var payload = new byte[8];
        var random = new Random(1);
        Thread.Sleep(200);
        for (var i = 0; i < packets; i++)
        {
            Thread.Sleep(3 + random.Next(7));
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            socket.SendTo(payload, target);
        }
    }
}
