using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Wirecap.Ncap;
using static Wirecap.Tests.Ncap.Engine.EngineTestData;

namespace Wirecap.Tests.Metrics;

/// <summary>The README's OpenTelemetry setup (<c>AddOpenTelemetry().WithMetrics(m => m.AddMeter("Wirecap"))</c>) in a
/// host, with the in-memory exporter in place of OTLP: the library's counters reach the exporter with their tags.</summary>
public class OpenTelemetryExportTests
{
    [Test]
    public async Task TheReadmesSetupExportsAnEnginesCountersWithTheirTags()
    {
        var exported = new List<Metric>();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("Wirecap")
                .AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync();

        using var engine = new NcapEngine(new NcapEngineOptions { Name = "otel-export" });
        engine.SetFilter(null, "udp port 53");
        engine.AddCaptureFile(Pcap([Udp(1), Arp(), Udp(2, port: 53), Udp(3, port: 53)]), "file");
        Assert.That(engine.Collect((in Wirecap.Formats.Ncap.NcapRecord _, NcapSource _) => { }), Is.EqualTo(2));
        // Observable counters are read when the exporter collects: flush while the engine is still open (one export only).
        exported.Clear();
        Assert.That(host.Services.GetRequiredService<MeterProvider>().ForceFlush(), Is.True);

        Assert.That(Sum(exported, "wirecap.engine.messages.delivered", (WirecapMetrics.EngineTag, "otel-export")), Is.EqualTo(2));
        Assert.That(Sum(exported, "wirecap.engine.messages.dropped", (WirecapMetrics.EngineTag, "otel-export"), (WirecapMetrics.DropReasonTag, "not_ip")), Is.EqualTo(1));
        Assert.That(exported.First(m => m.Name == "wirecap.engine.messages.delivered").Unit, Is.EqualTo("{message}"));
        await host.StopAsync();
    }

    /// <summary>The sum over the exported points of <paramref name="instrument"/> whose tags include all of <paramref name="tags"/>.</summary>
    private static long Sum(List<Metric> exported, string instrument, params (string Key, string Value)[] tags)
    {
        long sum = 0;
        foreach (var metric in exported.Where(m => m.Name == instrument))
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var have = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) have[tag.Key] = tag.Value;
                if (tags.All(t => Equals(have.GetValueOrDefault(t.Key), t.Value))) sum += point.GetSumLong();
            }
        return sum;
    }
}
