using GitOpsReverser.Git;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>The RepoWorker against a real OpenSSH sshd with key-only authentication, over the managed SSH transport.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class SshRemoteTests
{
    private SshGitServer server = null!;
    private TempDirectory temp = null!;

    [OneTimeSetUp]
    public void StartServer() => server = new SshGitServer();

    [OneTimeTearDown]
    public void StopServer() => server.Dispose();

    [SetUp]
    public void CreateTemp() => temp = new TempDirectory();

    [TearDown]
    public void RemoveTemp() => temp.Dispose();

    private RepoWorkerOptions Options(string url, string key, string knownHosts) => new()
    {
        Id = "ssh-" + Guid.NewGuid().ToString("N")[..6],
        Url = url,
        DataDirectory = temp.Combine("data"),
        Credentials = new GitCredentials { SshPrivateKey = key, KnownHosts = knownHosts },
        PushQuietWindow = TimeSpan.FromMinutes(10),
        PermanentFailureRetry = TimeSpan.FromMinutes(10),
    };

    [Test]
    public async Task Push_WithTheRightKeyAndKnownHost_ArrivesAndFetchSeesOthersCommits()
    {
        var bare = server.CreateRepository("team.git");
        var url = server.UrlFor("team.git");
        await using (var worker = RunningWorker.Start(Options(url, server.ClientKey, server.KnownHosts)))
        {
            await worker.PutAsync("namespaces/prod/ConfigMap/app.yaml", "over ssh\n");
            await worker.WaitUntilIdleAsync();
        }

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be("over ssh\n");

        // A fresh clone fetches over SSH and builds on what is there.
        var options = Options(url, server.ClientKey, server.KnownHosts);
        await using var second = RunningWorker.Start(options);
        await second.PutAsync("namespaces/prod/ConfigMap/second.yaml", "2\n", name: "second");
        await second.WaitUntilIdleAsync();
        GitCli.Files(bare).Should().Equal("namespaces/prod/ConfigMap/app.yaml", "namespaces/prod/ConfigMap/second.yaml");
    }

    [Test]
    public async Task UnknownHostKey_IsRefusedWithATrustError()
    {
        server.CreateRepository("mitm.git");
        await using var worker = RunningWorker.Start(Options(server.UrlFor("mitm.git"), server.ClientKey, server.WrongKnownHosts));

        var error = await worker.WaitForErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Trust);
        error.Message.Should().Contain("host key").And.Contain("known_hosts");
    }

    [Test]
    public async Task WrongClientKey_IsAnAuthenticationError()
    {
        server.CreateRepository("denied.git");
        await using var worker = RunningWorker.Start(Options(server.UrlFor("denied.git"), server.OtherKey, server.KnownHosts));

        var error = await worker.WaitForErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Authentication);
        error.Message.Should().Contain("authentication failed").And.NotContain("PRIVATE KEY");
    }

    [Test]
    public async Task MissingKnownHosts_FailsClosed()
    {
        server.CreateRepository("closed.git");
        await using var worker = RunningWorker.Start(Options(server.UrlFor("closed.git"), server.ClientKey, ""));

        var error = await worker.WaitForErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Trust);
        error.Message.Should().Contain("known_hosts is required");
    }

    [Test]
    public async Task TwoRepositories_WithOneUrl_EachUseTheirOwnCredentials_WhateverOrderTheyStartIn()
    {
        var bare = server.CreateRepository("shared.git");
        var url = server.UrlFor("shared.git");

        // The administrator's repository, with the key; a tenant's, same URL, without one (then with the wrong one).
        await using var admin = RunningWorker.Start(Options(url, server.ClientKey, server.KnownHosts));
        await using (var tenant = RunningWorker.Start(Options(url, "", server.KnownHosts)))
        {
            (await tenant.WaitForErrorAsync()).Kind.Should().Be(GitFailureKind.Authentication, "a repository without a key never borrows another's");
            await admin.PutAsync("namespaces/prod/ConfigMap/admin.yaml", "admin\n");
            await admin.WaitUntilIdleAsync();
        }

        await using (var tenant = RunningWorker.Start(Options(url, server.OtherKey, server.KnownHosts)))
        {
            await tenant.PutAsync("namespaces/team-a/ConfigMap/tenant.yaml", "tenant\n", name: "tenant");
            (await tenant.WaitForErrorAsync()).Kind.Should().Be(GitFailureKind.Authentication);
            await admin.PutAsync("namespaces/prod/ConfigMap/admin-2.yaml", "admin\n", name: "admin-2");
            await admin.WaitUntilIdleAsync();
        }

        GitCli.Files(bare).Should().Equal(["namespaces/prod/ConfigMap/admin-2.yaml", "namespaces/prod/ConfigMap/admin.yaml"],
            "the administrator's pushes go on, and nothing of the tenant's reaches the repository");
    }
}
