using System.Globalization;
using System.Runtime.InteropServices;
using GitOpsReverser.KubeSim.Hosting;

// kubesim --port 0 --kubeconfig FILE [--users FILE] [--http] [--bookmark-interval SECONDS] [--history-limit N]
var options = new KubeSimOptions();
string? kubeconfigPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--port":
                options = options with { Port = int.Parse(Value(), CultureInfo.InvariantCulture) };
                break;
            case "--kubeconfig":
                kubeconfigPath = Value();
                break;
            case "--users":
                options = options with { UsersFile = Value() };
                break;
            case "--http":
                options = options with { PlainHttp = true };
                break;
            case "--bookmark-interval":
                options = options with { BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) };
                break;
            case "--history-limit":
                options = options with { HistoryLimit = int.Parse(Value(), CultureInfo.InvariantCulture) };
                break;
            case "--help" or "-h":
                Console.WriteLine("usage: kubesim --port PORT --kubeconfig FILE [--users FILE] [--http] [--bookmark-interval SECONDS] [--history-limit N]");
                return 0;
            default:
                throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"kubesim: {error.Message}");
        return 2;
    }
}

if (kubeconfigPath is null)
{
    Console.Error.WriteLine("kubesim: --kubeconfig FILE is required");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};

KubeSimServer server;
try
{
    server = await KubeSimServer.StartAsync(options, stop.Token);
}
catch (Exception error) when (error is IOException or InvalidOperationException or YamlDotNet.Core.YamlException)
{
    Console.Error.WriteLine($"kubesim: cannot start: {error.Message}");
    return 1;
}

await using (server)
{
    await File.WriteAllTextAsync(kubeconfigPath, server.Kubeconfig());
    Console.WriteLine($"KubeSim listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM or Ctrl-C: stop cleanly.
    }
}

return 0;
