using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DnsMonitor;

/// <summary>The monitor's host: configuration, metrics, the background service.</summary>
public static class MonitorHost
{
    /// <param name="args">Command-line configuration (<c>--DnsMonitor:Files:0=x.pcap</c> and the like).</param>
    /// <param name="services">Extra registrations (a test's logger provider, an OpenTelemetry exporter...).</param>
    public static IHost Build(string[] args, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.Configure<DnsMonitorOptions>(builder.Configuration.GetSection(DnsMonitorOptions.Section));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<NxdomainMetrics>();
        builder.Services.AddHostedService<NxdomainMonitor>();
        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
