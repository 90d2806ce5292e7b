using System.CommandLine;
using GitOpsReverser.Hosting;

namespace GitOpsReverser.Cli;

/// <summary><c>gitops-reverser version</c>: the version and the commit this build came from.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version and the commit this build came from.");
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.WriteLine($"gitops-reverser {BuildInfo.Version}");
            result.InvocationConfiguration.Output.WriteLine($"commit {BuildInfo.Commit}");
            return 0;
        });
        return command;
    }
}
