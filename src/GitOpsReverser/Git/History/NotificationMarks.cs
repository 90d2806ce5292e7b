using GitOpsReverser.Git.Transport;
using LibGit2Sharp;

namespace GitOpsReverser.Git.History;

/// <summary>
/// Where each notification endpoint got to, kept in the worker's clone as a ref of its own
/// (<c>refs/gitops-reverser/notified/&lt;endpoint&gt;</c>, never pushed): after a restart, what was pushed but not yet
/// told is told. Read and written through handles of their own, beside the worker's.
/// </summary>
internal static class NotificationMarks
{
    private const string Prefix = "refs/gitops-reverser/notified/";

    /// <summary>The endpoint's mark and the remote branch's head the clone knows; either null when there is none (or no clone yet).</summary>
    public static (string? Mark, string? RemoteHead) Read(string clonePath, string endpoint, string branch)
    {
        try
        {
            if (!Repository.IsValid(clonePath))
            {
                return (null, null);
            }

            using var repository = new Repository(clonePath);
            return (repository.Refs[Prefix + endpoint]?.TargetIdentifier,
                repository.Refs[$"refs/remotes/{GitRemote.RemoteName}/{branch}"]?.ResolveToDirectReference()?.TargetIdentifier);
        }
        catch (LibGit2SharpException)
        {
            return (null, null);
        }
    }

    /// <summary>Moves the endpoint's mark to <paramref name="commit"/>; false when the clone would not take it.</summary>
    public static bool Write(string clonePath, string endpoint, string commit)
    {
        try
        {
            using var repository = new Repository(clonePath);
            repository.Refs.Add(Prefix + endpoint, new ObjectId(commit), allowOverwrite: true);
            return true;
        }
        catch (LibGit2SharpException)
        {
            return false;
        }
    }
}
