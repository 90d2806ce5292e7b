using System.CommandLine;
using GitOpsReverser.Cli;

var root = new RootCommand("GitOps Reverser captures live Kubernetes changes and commits them, sanitized, to Git.")
{
    SanitizeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
