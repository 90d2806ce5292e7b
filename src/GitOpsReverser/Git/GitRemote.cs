using System.Security.Cryptography.X509Certificates;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOpsReverser.Git;

/// <summary>
/// Fetch (LibGit2Sharp) and push (git's push protocol, see <see cref="Push"/>) for one remote, with
/// credentials from <see cref="GitCredentials"/> and every failure classified (<see cref="GitFailureKind"/>).
/// </summary>
internal sealed class GitRemote(string url, GitCredentials credentials)
{
    public const string RemoteName = "origin";

    public string Url { get; } = url;

    // Pushes over HTTP share one connection pool; created on the first.
    private readonly Lazy<HttpClient> http = new(() => HttpReceivePack.CreateClient(credentials));

    /// <summary>Fetches <paramref name="branch"/> into <c>refs/remotes/origin/&lt;branch&gt;</c>; returns false when the remote has no such branch.</summary>
    public bool Fetch(Repository repository, string branch)
    {
        var options = new FetchOptions
        {
            CredentialsProvider = CredentialsProvider(),
            CertificateCheck = CertificateCheck(),
            TagFetchMode = TagFetchMode.None,
            Prune = true,
        };
        AddHeaders(options.CustomHeaders, headers => options.CustomHeaders = headers);
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
    /// Pushes <paramref name="commit"/> to the remote branch with git's push protocol and a pack of
    /// its own (<see cref="CommitPack"/>); never forces. A remote branch this clone cannot fast-forward
    /// is reported as <see cref="GitFailureKind.NonFastForward"/> before anything is sent.
    /// </summary>
    /// <returns>What was sent, or null when the remote branch was at <paramref name="commit"/> already.</returns>
    public CommitPack? Push(Repository repository, ObjectId commit, string branch)
    {
        var target = $"refs/heads/{branch}";
        using var transport = ReceivePackTransport.For(Url, credentials, () => http.Value);
        try
        {
            var advertisement = ReceivePackAdvertisement.Read(transport.Advertise());
            var old = advertisement.Refs.GetValueOrDefault(target);
            if (old == commit)
            {
                return null;
            }

            if (old is not null && !IsAncestor(repository, old, commit))
            {
                throw new GitRemoteException(GitFailureKind.NonFastForward, "push", Url, "the remote branch has commits this clone does not have");
            }

            var filter = new CommitFilter { IncludeReachableFrom = commit, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse };
            if (old is not null)
            {
                filter.ExcludeReachableFrom = old;
            }

            var commits = repository.Commits.QueryBy(filter).Select(each => each.Id).ToList();
            using var reader = new RawObjectReader(repository.Info.Path);
            var contents = CommitPack.ForPush(reader);
            contents.AddCommits(commits);
            var sideBand = advertisement.Capabilities.Contains("side-band-64k");
            var capabilities = string.Join(' ', new[] { "report-status", sideBand ? "side-band-64k" : null,
                advertisement.Capabilities.Contains("quiet") ? "quiet" : null, "agent=gitops-reverser" }.OfType<string>());
            var request = new MemoryStream();
            PktLine.Write(request, $"{(old ?? ObjectId.Zero).Sha} {commit.Sha} {target}\0{capabilities}\n");
            PktLine.WriteFlush(request);
            contents.WriteTo(request);
            var report = ReceivePackReport.Read(transport.Send(new ArraySegment<byte>(request.GetBuffer(), 0, (int)request.Length)), sideBand);
            transport.Finish();
            Check(report, target);
            return contents;
        }
        catch (GitRemoteException)
        {
            throw;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or InvalidDataException
                                              or HttpRequestException or TaskCanceledException or Renci.SshNet.Common.SshException
                                              or System.Net.Sockets.SocketException)
        {
            var errors = transport.ErrorOutput;
            throw Classify("push", exception, errors.Length == 0 ? exception.Message : $"{exception.Message}: {errors}");
        }
    }

    private void Check(ReceivePackReport report, string target)
    {
        var messages = report.Messages.Length > 0 ? $" (the remote said: {report.Messages})" : "";
        if (report.Unpack != "ok")
        {
            throw new GitRemoteException(GitFailureKind.Rejected, "push", Url, $"the remote could not unpack the push: {report.Unpack}{messages}");
        }

        if (!report.Refs.TryGetValue(target, out var reason))
        {
            throw new GitRemoteException(GitFailureKind.Rejected, "push", Url, $"the remote reported nothing for {target}{messages}");
        }

        if (reason is null)
        {
            return;
        }

        throw new GitRemoteException(PushRejection.Classify(reason, report.Messages), "push", Url, $"{target}: {reason}{messages}");
    }

    private static bool IsAncestor(Repository repository, ObjectId ancestor, ObjectId commit) =>
        repository.Lookup<Commit>(ancestor) is { } old
        && repository.Lookup<Commit>(commit) is { } head
        && repository.ObjectDatabase.FindMergeBase(old, head)?.Id == ancestor;

    private GitRemoteException Classify(string operation, Exception exception, string? detail = null)
    {
        var message = detail ?? exception.Message;
        bool Has(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
        // Keywords of libgit2's and our transports' messages; HTTP codes only as libgit2 words them,
        // since a port or a path in the message may contain the same digits.
        var kind =
            exception is HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } ? GitFailureKind.Trust
            : Has("authentication") || Has("status code: 401") || Has("status code: 403") || Has("credentials") || Has("unauthorized")
                ? GitFailureKind.Authentication
            : Has("certificate") || Has("host key") || Has("hostkey") || Has("known_hosts") ? GitFailureKind.Trust
            : Has("status code: 404") || Has("does not appear to be a git repository") || Has("unsupported url") || Has("invalid url")
                || Has("could not find repository") || Has("repository not found") ? GitFailureKind.Configuration
            : GitFailureKind.Transient;
        return new GitRemoteException(kind, operation, Url, message, exception);
    }

    private static bool IsMissingBranch(LibGit2SharpException exception) =>
        exception.Message.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("no match for refspec", StringComparison.OrdinalIgnoreCase);

    private CredentialsHandler? CredentialsProvider()
    {
        if (credentials.Username is null && credentials.Password is null)
        {
            return null;
        }

        return (_, _, _) => new UsernamePasswordCredentials { Username = credentials.Username ?? "git", Password = credentials.Password ?? "" };
    }

    private void AddHeaders(string[]? existing, Action<string[]> set)
    {
        if (credentials.BearerToken is { } token)
        {
            set([.. existing ?? [], $"Authorization: Bearer {token}"]);
        }
    }

    private CertificateCheckHandler? CertificateCheck()
    {
        if (credentials.CaPem is not { } pem)
        {
            return null;
        }

        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(pem);
        return (certificate, _, host) =>
        {
            if (certificate is not CertificateX509 x509)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(x509.Certificate.GetRawCertData());
            return chain.Build(leaf) && leaf.MatchesHostname(host);
        };
    }
}
