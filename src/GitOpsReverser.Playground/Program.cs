using System.Globalization;
using System.Runtime.InteropServices;
using GitOpsReverser.Playground;

// gitops-reverser-playground [--port PORT] [--dir DIR]: KubeSim, a bare repository and the published
// operator, wired together and filled with examples; prints each commit until SIGINT or SIGTERM.
var port = 0;
var directory = Path.Combine("artifacts", "playground");
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--port":
                port = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "--dir":
                directory = Value();
                break;
            case "--help" or "-h":
                Console.WriteLine("""
                    usage: ./build.sh --target=Playground [--port PORT] [--dir DIR]
                      --port PORT   the simulated API server's port on 127.0.0.1 (default: a free one)
                      --dir DIR     where the kubeconfig, the repository, the operator's data and log live (default: artifacts/playground)
                    """);
                return 0;
            default:
                throw new ArgumentException($"unknown option {args[i]} (--help lists the options)");
        }
    }
    catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"playground: {error.Message}");
        return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var playground = new Playground(Path.GetFullPath(directory), port, Console.Out);
try
{
    return await playground.RunAsync(stop.Token);
}
catch (PlaygroundException error)
{
    Console.Error.WriteLine($"playground: {error.Message}");
    return 1;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
