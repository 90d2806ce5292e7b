using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOpsReverser.TestServers;

/// <summary>
/// A tenant's own HTTP server on 127.0.0.1, as an attacker would run one to catch what the operator sends: every
/// request's head is kept (<see cref="Requests"/>), and each is answered <c>401</c> with a Basic challenge, as a Git
/// server asks for credentials; or, made with <c>hang: true</c>, never answered at all (a remote that hangs).
/// </summary>
public sealed class AttackerHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> requests = [];
    private readonly List<TcpClient> held = [];
    private readonly bool hang;

    public AttackerHttpServer(bool hang = false)
    {
        this.hang = hang;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The head (request line and headers) of every request received so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>How many connections were accepted.</summary>
    public int Connections { get; private set; }

    public string UrlFor(string path) => $"http://127.0.0.1:{Port}/{path}";

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (held)
        {
            foreach (var client in held)
            {
                client.Dispose();
            }
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Connections++;
            lock (held)
            {
                held.Add(client);
            }

            if (!hang)
            {
                _ = ServeAsync(client);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[65536];
            while (!stop.IsCancellationRequested)
            {
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }

                lock (requests)
                {
                    requests.Add(head.ToString().Split("\r\n\r\n")[0]);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\n\r\n"), stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The operator hung up, or the server stops.
        }
    }
}
