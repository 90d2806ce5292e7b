using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>
/// A real forward proxy on 127.0.0.1 (Debian's tinyproxy): plain HTTP requests and <c>CONNECT</c> tunnels
/// for HTTPS, each logged, so a test can tell that traffic went through it. Stopped by process id.
/// </summary>
public sealed class ForwardProxy : IDisposable
{
    private readonly TempDirectory directory = new("proxy-");
    private readonly Process tinyproxy;

    public ForwardProxy()
    {
        Port = LoopbackPorts.Free();
        var config = directory.Combine("tinyproxy.conf");
        File.WriteAllText(config, $"""
            Port {Port}
            Listen 127.0.0.1
            Timeout 60
            Allow 127.0.0.1
            MaxClients 20
            LogLevel Info
            LogFile "{LogPath}"
            """);
        tinyproxy = ProcessGroup.Start("/usr/bin/tinyproxy", "-d", "-c", config);
        ProcessGroup.WaitFor(() => LoopbackPorts.Accepts(Port), $"tinyproxy on port {Port}");
    }

    public int Port { get; }

    /// <summary>The proxy's URL, as <c>HTTPS_PROXY</c> takes it.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    private string LogPath => directory.Combine("tinyproxy.log");

    /// <summary>What the proxy logged: one line per connection it made, naming the host and port.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public void Dispose()
    {
        ProcessGroup.Stop(tinyproxy);
        directory.Dispose();
    }
}
