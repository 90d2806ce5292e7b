using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOpsReverser.Git.Transport;

/// <summary>
/// Fetch and push for one remote, both through LibGit2Sharp (libgit2's HTTP transport, or the managed
/// <see cref="SshSmartSubtransport"/> for SSH), with credentials from <see cref="GitCredentials"/>, the
/// server checked against its CA file (<see cref="Kube.TlsTrust"/>), and every failure classified
/// (<see cref="GitFailureKind"/>).
/// </summary>
internal sealed class GitRemote
{
    public const string RemoteName = "origin";

    private readonly GitCredentials credentials;

    /// <summary>A remote at <paramref name="url"/> (an scp-like SSH URL is used as its <c>ssh://</c> form).</summary>
    public GitRemote(string url, GitCredentials credentials)
    {
        if (SshRemoteUrl.IsSsh(url))
        {
            url = SshRemoteUrl.Normalize(url);
            SshSmartSubtransport.Register();
        }

        Url = url;
        this.credentials = credentials;
    }

    // The commit a push sends: libgit2 pushes references, not ids.
    private const string PushSource = "refs/gitops-reverser/push";

    public string Url { get; }

    // libgit2 pushes to a repository on a local path in-process and sets the ref without comparing it
    // with the value it read, so two pushes to one path at once could both "succeed" with one lost: this
    // process's pushes to a path take turns. (A server's receive-pack compares and swaps.)
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> LocalPushLocks = new(StringComparer.Ordinal);

    /// <summary>Fetches <paramref name="branch"/> into <c>refs/remotes/origin/&lt;branch&gt;</c>; returns false when the remote has no such branch.</summary>
    public bool Fetch(Repository repository, string branch)
    {
        var options = new FetchOptions
        {
            CredentialsProvider = CredentialsProvider(),
            CertificateCheck = CertificateCheck(),
            CustomHeaders = Headers(),
            TagFetchMode = TagFetchMode.None,
            Prune = true,
        };
        try
        {
            Commands.Fetch(repository, RemoteName, [$"+refs/heads/{branch}:refs/remotes/{RemoteName}/{branch}"], options, null);
        }
        catch (LibGit2SharpException exception) when (IsMissingBranch(exception))
        {
            return false;
        }
        catch (LibGit2SharpException exception)
        {
            throw Classify("fetch", exception);
        }

        return repository.Refs[$"refs/remotes/{RemoteName}/{branch}"] is not null;
    }

    /// <summary>
    /// Pushes <paramref name="commit"/> to the remote branch with libgit2, never forcing: a remote branch
    /// this clone cannot fast-forward is <see cref="GitFailureKind.NonFastForward"/>, a ref update the
    /// server refuses is classified by its reason (<see cref="PushRejection"/>).
    /// </summary>
    public void Push(Repository repository, ObjectId commit, string branch)
    {
        var target = $"refs/heads/{branch}";
        repository.Refs.Add(PushSource, commit, allowOverwrite: true);
        var refused = new List<PushStatusError>();
        var options = new PushOptions
        {
            CredentialsProvider = CredentialsProvider(),
            CertificateCheck = CertificateCheck(),
            CustomHeaders = Headers(),
            OnPushStatusError = refused.Add,

            // One thread of delta search, so a push never takes every core from the commits beside it.
            PackbuilderDegreeOfParallelism = 1,
        };
        try
        {
            var remote = repository.Network.Remotes[RemoteName];
            if (RemoteUrl.IsLocal(Url))
            {
                lock (LocalPushLocks.GetOrAdd(RemoteUrl.LocalPath(Url), _ => new object()))
                {
                    repository.Network.Push(remote, $"{PushSource}:{target}", options);
                }
            }
            else
            {
                repository.Network.Push(remote, $"{PushSource}:{target}", options);
            }
        }
        catch (NonFastForwardException exception)
        {
            throw new GitRemoteException(GitFailureKind.NonFastForward, "push", Url, $"the remote branch has commits this clone does not have ({exception.Message})", exception);
        }
        catch (LibGit2SharpException exception)
        {
            throw Classify("push", exception);
        }

        if (refused.FirstOrDefault() is { } refusal)
        {
            throw new GitRemoteException(PushRejection.Classify(refusal.Message, ""), "push", Url, $"{refusal.Reference}: {refusal.Message}");
        }
    }

    private GitRemoteException Classify(string operation, LibGit2SharpException exception)
    {
        var message = exception.Message;
        if (RemoteUrl.IsLocal(Url) && !Repository.IsValid(RemoteUrl.LocalPath(Url)))
        {
            // libgit2 words a path with no repository as an unknown protocol.
            message = $"{Url} does not appear to be a git repository ({message})";
        }
        else if (message.Contains("object format", StringComparison.OrdinalIgnoreCase))
        {
            message = $"{message}: the repository uses SHA-256 object ids, which libgit2 cannot write; use a SHA-1 repository";
        }
        else if (message.Contains("status code: 413", StringComparison.OrdinalIgnoreCase))
        {
            message = $"{message}: the server (or a proxy before it) refuses a request body this large; raise its limit (nginx: client_max_body_size)";
        }

        bool Has(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);

        // Keywords of libgit2's messages; HTTP codes only as libgit2 words them, since a port or a path in
        // the message may contain the same digits.
        var kind =
            Has("authentication") || Has("status code: 401") || Has("status code: 403") || Has("credentials") || Has("unauthorized")
                ? GitFailureKind.Authentication
            : Has("certificate") || Has("host key") || Has("hostkey") || Has("known_hosts") ? GitFailureKind.Trust
            : Has("status code: 404") || Has("does not appear to be a git repository") || Has("unsupported url") || Has("invalid url")
                || Has("could not find repository") || Has("repository not found") || Has("status code: 413")
                || Has("object format") ? GitFailureKind.Configuration
            : GitFailureKind.Transient;
        return new GitRemoteException(kind, operation, Url, message, exception);
    }

    private static bool IsMissingBranch(LibGit2SharpException exception) =>
        exception.Message.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("no match for refspec", StringComparison.OrdinalIgnoreCase);

    private CredentialsHandler? CredentialsProvider()
    {
        if (SshRemoteUrl.IsSsh(Url))
        {
            // Only this operation's SSH transport receives them (see SshSmartSubtransport).
            return (_, _, _) => SshSmartSubtransport.ForOperation(credentials);
        }

        if (credentials.Username is null && credentials.Password is null)
        {
            return null;
        }

        return (_, _, _) => new UsernamePasswordCredentials { Username = credentials.Username ?? "git", Password = credentials.Password ?? "" };
    }

    private string[]? Headers() => credentials.BearerToken is { } token ? [$"Authorization: Bearer {token}"] : null;

    private CertificateCheckHandler? CertificateCheck()
    {
        if (credentials.CaPem is not { } pem)
        {
            return null;
        }

        var roots = Kube.TlsTrust.ReadRoots(pem);
        return (certificate, _, host) =>
            certificate is CertificateX509 x509 && Kube.TlsTrust.Trusts(roots, x509.Certificate, host);
    }
}
