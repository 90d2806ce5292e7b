using GitOpsReverser.Git.Transport;
using LibGit2Sharp;

namespace GitOpsReverser.Git.History;

/// <summary>
/// The repository the <c>history</c> and <c>restore</c> commands read: a clone on this machine (a path), or an
/// http(s) or <c>file:</c> URL cloned bare into a temporary folder that is deleted when this is disposed.
/// Credentials for an http(s) URL come from <c>GIT_USERNAME</c> and <c>GIT_PASSWORD</c>, never from the URL.
/// </summary>
internal sealed class RepositorySource : IDisposable
{
    private readonly string? temporary;

    private RepositorySource(string path, string? temporary)
    {
        Path = path;
        this.temporary = temporary;
    }

    /// <summary>The local repository to open.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="pathOrUrl"/>; throws <see cref="ArgumentException"/> saying why it cannot.</summary>
    public static RepositorySource Open(string pathOrUrl)
    {
        var isUrl = pathOrUrl.Contains("://", StringComparison.Ordinal);
        if (!isUrl)
        {
            return Repository.IsValid(pathOrUrl) ? new RepositorySource(pathOrUrl, null)
                : throw new ArgumentException(pathOrUrl.Contains('@', StringComparison.Ordinal) && pathOrUrl.Contains(':', StringComparison.Ordinal)
                    ? "an SSH remote cannot be read directly: git clone it, and give the clone's path"
                    : "not a Git repository (give a clone of the GitRepoConfig's repository, or its http(s) URL)");
        }

        if (!pathOrUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !pathOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            && !pathOrUrl.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("only http(s) and file: URLs are cloned here; for ssh://, git clone it and give the clone's path");
        }

        if (RemoteUrl.CredentialProblem(pathOrUrl) is { } problem)
        {
            throw new ArgumentException($"the URL {problem}: give them in GIT_USERNAME and GIT_PASSWORD instead");
        }

        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gitops-reverser-{Guid.NewGuid():N}");
        var options = new CloneOptions { IsBare = true };
        if (Environment.GetEnvironmentVariable("GIT_USERNAME") is { Length: > 0 } user)
        {
            var password = Environment.GetEnvironmentVariable("GIT_PASSWORD") ?? "";
            options.FetchOptions.CredentialsProvider = (_, _, _) => new UsernamePasswordCredentials { Username = user, Password = password };
        }

        try
        {
            return new RepositorySource(Repository.Clone(pathOrUrl, folder, options), folder);
        }
        catch (LibGit2SharpException exception)
        {
            DeleteFolder(folder);
            throw new ArgumentException($"cannot clone {RemoteUrl.Redact(pathOrUrl)}: {exception.Message}", exception);
        }
    }

    public void Dispose()
    {
        if (temporary is not null)
        {
            DeleteFolder(temporary);
        }
    }

    // Git's object files are read-only; clear that before deleting.
    private static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(folder, recursive: true);
    }
}
