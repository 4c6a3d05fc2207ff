// A DNS monitor as a worker service: NXDOMAIN answers seen on interfaces and/or capture files, logged through
// ILogger and counted in metrics (its own meter "DnsMonitor" and the library's meter "Wirecap").
//   dotnet run --project samples/DnsMonitor -- --DnsMonitor:Interfaces:0=eth0
//   dotnet run --project samples/DnsMonitor -- --DnsMonitor:Files:0=capture.pcapng   (stops at the end of the files)
using Microsoft.Extensions.Hosting;

DnsMonitor.MonitorHost.Build(args).Run();
