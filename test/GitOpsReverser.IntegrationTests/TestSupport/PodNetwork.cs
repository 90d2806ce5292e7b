using System.Diagnostics;
using System.Net;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>
/// A private network on this machine for a test's pods, as a node gives every pod a network of its own:
/// a bridge holding <see cref="HostAddress"/> (where KubeSim and the Git server also listen for the
/// pods), and per pod a network namespace joined to the bridge by a veth pair. Servers a pod starts on
/// <c>0.0.0.0</c> (the operator's default ports) are reachable at the pod's address only, never on the
/// machine's own interfaces. Needs root (<c>ip netns</c>); everything is removed on dispose.
/// </summary>
internal sealed class PodNetwork : IDisposable
{
    private static int created;
    private readonly int subnet;
    private readonly List<string> namespaces = [];

    private PodNetwork(int subnet)
    {
        this.subnet = subnet;
        HostAddress = IPAddress.Parse($"10.213.{subnet}.1");
    }

    public IPAddress HostAddress { get; }

    private string Bridge => $"gorb{subnet}";

    /// <summary>A new network in its own /24 of 10.213.0.0/16 (a leftover of a killed run with the same number is removed first).</summary>
    public static PodNetwork Create()
    {
        var network = new PodNetwork(1 + ((Environment.ProcessId * 7 + Interlocked.Increment(ref created)) % 250));
        TryIp("link", "del", network.Bridge);
        Ip("link", "add", network.Bridge, "type", "bridge");
        Ip("addr", "add", $"{network.HostAddress}/24", "dev", network.Bridge);
        Ip("link", "set", network.Bridge, "up");
        return network;
    }

    /// <summary>A new pod: its network namespace (eth0 on the bridge, lo up) and its address.</summary>
    public (string Namespace, IPAddress Address) AddPod()
    {
        var index = namespaces.Count;
        var ns = $"gor{subnet}-{index}";
        var address = IPAddress.Parse($"10.213.{subnet}.{index + 2}");
        var hostSide = $"gorh{subnet}p{index}";
        var podSide = $"gorp{subnet}p{index}";
        TryIp("netns", "del", ns);
        Ip("netns", "add", ns);
        namespaces.Add(ns);
        Ip("link", "add", hostSide, "type", "veth", "peer", "name", podSide);
        Ip("link", "set", podSide, "netns", ns);
        Ip("link", "set", hostSide, "master", Bridge);
        Ip("link", "set", hostSide, "up");
        Ip("-n", ns, "link", "set", podSide, "name", "eth0");
        Ip("-n", ns, "addr", "add", $"{address}/24", "dev", "eth0");
        Ip("-n", ns, "link", "set", "eth0", "up");
        Ip("-n", ns, "link", "set", "lo", "up");
        return (ns, address);
    }

    public void Dispose()
    {
        // Deleting a namespace deletes its end of the veth pair, and with it the host's end.
        foreach (var ns in namespaces)
        {
            TryIp("netns", "del", ns);
        }

        TryIp("link", "del", Bridge);
    }

    private static void Ip(params string[] arguments)
    {
        var (code, error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({code}): {error} (the pod tests need root and iproute2)");
        }
    }

    private static void TryIp(params string[] arguments) => Run(arguments);

    private static (int Code, string Error) Run(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
