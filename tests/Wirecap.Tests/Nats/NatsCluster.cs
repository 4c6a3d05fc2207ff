using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Nats;

/// <summary>Three Debian <c>nats-server</c>s clustered with JetStream on 127.0.0.1 ports of their own, each storing
/// in a directory of the test's; nodes can be killed and started again; all are stopped on dispose.</summary>
public sealed class NatsCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int[] _clientPorts = new int[3];
    private readonly int[] _routePorts = new int[3];
    private readonly Process?[] _nodes = new Process?[3];

    private NatsCluster(string directory)
    {
        _directory = directory;
        for (int i = 0; i < 3; i++)
        {
            _clientPorts[i] = FreePort();
            _routePorts[i] = FreePort();
        }
    }

    /// <summary>Starts the three nodes and waits until JetStream has a leader.</summary>
    public static async Task<NatsCluster> StartAsync(string directory)
    {
        Tool.Require("nats-server");
        var cluster = new NatsCluster(directory);
        try
        {
            for (int i = 0; i < 3; i++) cluster.Start(i);
            await cluster.WaitForJetStreamAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every node's URL, comma-separated, as a client takes them.</summary>
    public string Urls => string.Join(",", _clientPorts.Select(p => $"nats://127.0.0.1:{p}"));

    public int ClientPort(int node) => _clientPorts[node];

    public static string NodeName(int node) => $"n{node}";

    public NatsConnection Connect() => new(NatsOpts.Default with
    {
        Url = Urls,
        // Reconnect fast to a node that is still up when the one in use is killed.
        ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
        MaxReconnectRetry = -1,
    });

    public void Start(int node)
    {
        string store = Path.Combine(_directory, NodeName(node));
        Directory.CreateDirectory(store);
        string config = Path.Combine(_directory, $"{NodeName(node)}.conf");
        var routes = Enumerable.Range(0, 3).Where(i => i != node).Select(i => $"nats-route://127.0.0.1:{_routePorts[i]}");
        File.WriteAllText(config, $$"""
            server_name: {{NodeName(node)}}
            listen: 127.0.0.1:{{_clientPorts[node]}}
            jetstream { store_dir: "{{store}}" }
            cluster {
              name: wirecap-test
              listen: 127.0.0.1:{{_routePorts[node]}}
              routes: [{{string.Join(", ", routes)}}]
            }
            """);
        // Debian installs it in /usr/sbin, which a non-login PATH may lack.
        string server = File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
        var process = Process.Start(new ProcessStartInfo(server, $"-c {config}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _nodes[node] = process;
    }

    /// <summary>Kills a node at once (SIGKILL): no goodbye to its peers.</summary>
    public void Kill(int node)
    {
        var process = _nodes[node];
        if (process is null) return;
        process.Kill();
        process.WaitForExit();
        process.Dispose();
        _nodes[node] = null;
    }

    /// <summary>The node number of a server name (n0, n1, n2).</summary>
    public static int NodeOf(string serverName) => serverName[1] - '0';

    private async Task WaitForJetStreamAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Exception? last = null;
        await using var connection = Connect();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await connection.ConnectAsync();
                var js = new NatsJSContext(connection);
                var account = await js.GetAccountInfoAsync();
                if (account is not null) return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
            {
                last = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the JetStream cluster did not come up within 30 s: {last?.Message}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        for (int i = 0; i < 3; i++) Kill(i);
        return ValueTask.CompletedTask;
    }
}
