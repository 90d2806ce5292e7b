using System.CommandLine;
using GitOpsReverser.Cli;

var root = new RootCommand("GitOps Reverser captures live Kubernetes changes and commits them, sanitized, to Git.")
{
    RunCommand.Create(),
    SanitizeCommand.Create(),
    PreviewCommand.Create(),
    HistoryCommand.Create(),
    RestoreCommand.Create(),
    VersionCommand.Create(),
};

// The operator's host handles SIGTERM itself and stops gracefully; System.CommandLine would end the process after 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
