using System.Diagnostics;
using Wirecap.Linux;
using Wirecap.Linux.Probes;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux.Probes;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>
/// Every live capture (AF_PACKET ring, TC, probes): Dispose() from another thread while a read is blocked returns about
/// as soon as Stop() does, and the read then ends. The figures go to the output; the bound is generous, since a loaded
/// machine makes any single call slow, and only a Dispose that waits for the reader or the kernel would miss it.
/// </summary>
[NonParallelizable]
public sealed class DisposePromptnessTests
{
    public enum Kind { AfPacket, Tc, Probe }

    [TestCase(Kind.AfPacket)]
    [TestCase(Kind.Tc)]
    [TestCase(Kind.Probe)]
    public void DisposeWithABlockedReadReturnsAboutAsSoonAsStop(Kind kind)
    {
        if (kind == Kind.Probe) ProbeTestSupport.RequirePrivilege();
        using var net = new PairedNamespaces();
        ILiveCapture Open() => kind switch
        {
            Kind.AfPacket => PairedNamespaces.Run(net.NameB, () => (ILiveCapture)PacketCapture.Open(new PacketCaptureOptions { Interface = net.DeviceB })),
            Kind.Tc => PairedNamespaces.Run(net.NameB, () => (ILiveCapture)TcCapture.Open(new TcCaptureOptions { Interface = net.DeviceB })),
            _ => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:net:netif_receive_skb"], Netns = net.NameB }),
        };
        (double Call, double ReadEnded) Measure(bool dispose)
        {
            var capture = Open();
            try
            {
                var reader = Task.Run(() => capture.Capture((in CapturedFrame _) => { }));
                Thread.Sleep(200);
                Assert.That(reader.IsCompleted, Is.False, "the read waits while nothing arrives");
                var clock = Stopwatch.StartNew();
                if (dispose) capture.Dispose();
                else capture.Stop();
                double call = clock.Elapsed.TotalMilliseconds;
                Assert.That(reader.Wait(TimeSpan.FromSeconds(5)), Is.True, "the read returned");
                return (call, clock.Elapsed.TotalMilliseconds);
            }
            finally
            {
                capture.Dispose();
            }
        }
        var stop = Enumerable.Range(0, 5).Select(_ => Measure(dispose: false)).ToList();
        var dispose = Enumerable.Range(0, 5).Select(_ => Measure(dispose: true)).ToList();
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(2);
        TestContext.Out.WriteLine($"{kind}: Stop() median {Median(stop.Select(s => s.Call)):F3} ms (read ended after {Median(stop.Select(s => s.ReadEnded)):F3} ms); " +
            $"Dispose() median {Median(dispose.Select(d => d.Call)):F3} ms, max {dispose.Max(d => d.Call):F3} ms (read ended after {Median(dispose.Select(d => d.ReadEnded)):F3} ms)");
        // Detaching a tcx program waits in the kernel for an RCU grace period (tens of milliseconds), which no reader
        // hand-over avoids: a TC capture's Dispose pays that, and nothing for the reader.
        Assert.That(Median(dispose.Select(d => d.Call)), Is.LessThan(kind == Kind.Tc ? 200 : 20), "Dispose() leaves the closing to the reader");
    }
}
