using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>A KubeSim started in-process for one test class, with a scratch directory for kubeconfigs and caches.</summary>
internal sealed class RunningKubeSim : IAsyncDisposable
{
    private RunningKubeSim(KubeSimServer server, string directory)
    {
        Server = server;
        Directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, server.Kubeconfig());
    }

    public KubeSimServer Server { get; }

    public string Directory { get; }

    public string KubeconfigPath { get; }

    public static async Task<RunningKubeSim> StartAsync(KubeSimOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kubesim-test-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var server = await KubeSimServer.StartAsync(options ?? new KubeSimOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        return new RunningKubeSim(server, directory);
    }

    /// <summary>A kubeconfig file for another user's token.</summary>
    public string KubeconfigFor(string token)
    {
        var path = Path.Combine(Directory, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, Server.Kubeconfig(token));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl still closing its cache files; the temp directory is cleaned up later.
        }
    }
}
