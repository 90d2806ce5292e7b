using System.Security.Cryptography.X509Certificates;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOpsReverser.Git;

/// <summary>
/// Fetch and push for one remote over LibGit2Sharp, with credentials from <see cref="GitCredentials"/>
/// and every failure classified (<see cref="GitFailureKind"/>). Server-side rejections, which
/// LibGit2Sharp reports only through <c>OnPushStatusError</c>, become exceptions here.
/// </summary>
internal sealed class GitRemote(string url, GitCredentials credentials)
{
    public const string RemoteName = "origin";

    public string Url { get; } = url;

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

    /// <summary>Pushes the commit <paramref name="source"/> (a ref) names to the remote branch; never forces.</summary>
    public void Push(Repository repository, string source, string branch)
    {
        string? rejection = null;
        var options = new PushOptions
        {
            CredentialsProvider = CredentialsProvider(),
            CertificateCheck = CertificateCheck(),
            OnPushStatusError = error => rejection = $"{error.Reference}: {error.Message}",
        };
        AddHeaders(options.CustomHeaders, headers => options.CustomHeaders = headers);
        try
        {
            repository.Network.Push(repository.Network.Remotes[RemoteName], $"{source}:refs/heads/{branch}", options);
        }
        catch (NonFastForwardException exception)
        {
            throw new GitRemoteException(GitFailureKind.NonFastForward, "push", Url, "the remote branch has commits this clone does not have", exception);
        }
        catch (LibGit2SharpException exception)
        {
            throw Classify("push", exception);
        }

        if (rejection is not null)
        {
            var kind = rejection.Contains("non-fast-forward", StringComparison.OrdinalIgnoreCase)
                || rejection.Contains("fetch first", StringComparison.OrdinalIgnoreCase)
                ? GitFailureKind.NonFastForward
                : GitFailureKind.Rejected;
            throw new GitRemoteException(kind, "push", Url, rejection);
        }
    }

    private GitRemoteException Classify(string operation, LibGit2SharpException exception)
    {
        var message = exception.Message;
        bool Has(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
        // Keywords of libgit2's and our transports' messages; HTTP codes only as libgit2 words them,
        // since a port or a path in the message may contain the same digits.
        var kind =
            Has("authentication") || Has("status code: 401") || Has("status code: 403") || Has("credentials") || Has("unauthorized")
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
