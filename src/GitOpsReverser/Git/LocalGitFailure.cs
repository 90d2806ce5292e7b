using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>What the local clone's failures look like to the stages above Git, which know nothing of libgit2.</summary>
internal static class LocalGitFailure
{
    /// <summary>Whether <paramref name="exception"/> is a failure of the local clone (libgit2 or the file system) rather than a bug.</summary>
    public static bool Is(Exception exception) => exception is LibGit2SharpException or IOException;
}
