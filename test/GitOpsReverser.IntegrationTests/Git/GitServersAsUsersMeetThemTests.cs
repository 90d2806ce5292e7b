using GitOpsReverser.Git;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>
/// The one Git backend against servers as users meet them: a repository that moved (redirects with
/// credentials), a server that checks every object it receives, a request body limit, a SHA-256
/// repository, and SSH through <c>git-shell</c> to a path with spaces. Real nginx + git http-backend and
/// OpenSSH sshd.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class GitServersAsUsersMeetThemTests
{
    private GitHttpServer http = null!;
    private SshGitServer ssh = null!;
    private TempDirectory temp = null!;

    [OneTimeSetUp]
    public void StartServers()
    {
        http = new GitHttpServer("robot", "s3cret-password");
        ssh = new SshGitServer(gitShell: true);
    }

    [OneTimeTearDown]
    public void StopServers()
    {
        http.Dispose();
        ssh.Dispose();
    }

    [SetUp]
    public void CreateTemp() => temp = new TempDirectory();

    [TearDown]
    public void RemoveTemp() => temp.Dispose();

    private RepoWorkerOptions Options(string url, GitCredentials? credentials = null) => new()
    {
        Id = "quirks-" + Guid.NewGuid().ToString("N")[..6],
        Url = url,
        DataDirectory = temp.Combine("data"),
        Credentials = credentials ?? new GitCredentials { Username = "robot", Password = "s3cret-password" },
        PushQuietWindow = TimeSpan.FromMinutes(10),
        PermanentFailureRetry = TimeSpan.FromMinutes(10),
    };

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task ARepositoryThatMoved_IsFollowedWithTheCredentials_AndThePushLandsAtTheNewPath(int status)
    {
        var name = $"moved-{status}.git";
        var bare = http.CreateRepository(name);
        await using var worker = RunningWorker.Start(Options(http.MovedUrlFor(name, status)));

        await worker.PutAsync("namespaces/prod/ConfigMap/app.yaml", $"after a {status}\n");
        await worker.WaitUntilIdleAsync();

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be($"after a {status}\n");
    }

    [Test]
    public async Task CredentialsInTheUrl_AreUsed_AndNeverShown()
    {
        var bare = http.CreateRepository("userinfo.git");
        var url = http.UrlFor("userinfo.git").Replace("http://", "http://robot:s3cret-password@", StringComparison.Ordinal);
        await using (var worker = RunningWorker.Start(Options(url, GitCredentials.None)))
        {
            await worker.PutAsync("a.yaml", "with the URL's credentials\n");
            await worker.WaitUntilIdleAsync();
        }

        GitCli.Show(bare, "main", "a.yaml").Should().Be("with the URL's credentials\n");

        http.CreateRepository("userinfo-wrong.git");
        var wrong = http.UrlFor("userinfo-wrong.git").Replace("http://", "http://robot:not-the-password@", StringComparison.Ordinal);
        await using var failing = RunningWorker.Start(Options(wrong, GitCredentials.None));
        await failing.PutAsync("a.yaml", "a\n");
        var error = await failing.PushExpectingErrorAsync();
        error.Kind.Should().Be(GitFailureKind.Authentication);
        error.Message.Should().NotContain("not-the-password").And.Contain("***@");
    }

    [Test]
    public async Task HttpsThroughTheProxyOfHttpsProxy_ReachesTheServer()
    {
        using var proxy = new ForwardProxy();
        var bare = http.CreateRepository("proxied.git");
        File.WriteAllText(temp.Combine("ca.pem"), http.CaPem);

        // libgit2 reads the proxy from the process's own environment, so the worker runs in a process of its own.
        using var host = WorkerHost.Start(temp.Combine("data"), http.HttpsUrlFor("proxied.git"), new Dictionary<string, string>
        {
            ["HTTPS_PROXY"] = proxy.Url,
            ["NO_PROXY"] = "",
            ["GIT_WORKER_USERNAME"] = "robot",
            ["GIT_WORKER_PASSWORD"] = "s3cret-password",
            ["GIT_WORKER_CA_FILE"] = temp.Combine("ca.pem"),
        });
        try
        {
            await host.StandardInput.WriteLineAsync("put namespaces/prod/ConfigMap/app.yaml through-the-proxy");
            await host.StandardInput.FlushAsync();
            await WorkerHost.ReadUntilAsync(host, line => line == "pushed");
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be("through-the-proxy\n");
        proxy.Log.Should().Contain($"127.0.0.1:{http.TlsPort}", "the tunnel to the server went through the proxy");
    }

    [Test]
    public async Task AServerThatChecksEveryObject_TakesEveryPush()
    {
        var bare = http.CreateRepository("strict.git");
        GitCli.Run(bare, "config", "receive.fsckObjects", "true");
        await using var worker = RunningWorker.Start(Options(http.UrlFor("strict.git")));

        for (var i = 0; i < 5; i++)
        {
            await worker.PutAsync($"namespaces/ns-{i % 2}/ConfigMap/cm-{i}.yaml", $"version {i}\n", name: $"cm-{i}");
            await worker.WaitUntilIdleAsync(allowPending: true);
            worker.Worker.RequestPush();
            await worker.WaitUntilIdleAsync();
        }

        await worker.DeleteAsync("namespaces/ns-0/ConfigMap/cm-0.yaml", name: "cm-0");
        worker.Worker.RequestPush();
        await worker.WaitUntilIdleAsync();

        GitCli.Run(bare, "fsck", "--strict", "--no-dangling");
        GitCli.Files(bare).Should().HaveCount(4);
    }

    [Test]
    public async Task ARequestBodyLimit_IsAConfigurationErrorThatNamesIt()
    {
        http.CreateRepository("limited.git");
        await using var worker = RunningWorker.Start(Options(http.SmallBodyUrlFor("limited.git")));

        await worker.PutAsync("namespaces/prod/ConfigMap/big.yaml", string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i * 7919 % 10007}\n")));
        var error = await worker.PushExpectingErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Configuration);
        error.Message.Should().Contain("413").And.Contain("client_max_body_size");
    }

    [Test]
    public async Task ASha256Repository_IsAConfigurationErrorThatNamesIt()
    {
        var bare = Path.Combine(http.RepositoriesRoot, "sha256.git");
        GitCli.Run(temp.Path, "init", "--quiet", "--bare", "--object-format=sha256", bare);
        GitCli.Run(bare, "config", "http.receivepack", "true");
        await using var worker = RunningWorker.Start(Options(http.UrlFor("sha256.git")));

        await worker.PutAsync("a.yaml", "a\n");
        var error = await worker.PushExpectingErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Configuration);
        error.Message.Should().Contain("SHA-256");
        GitCli.Run(bare, "for-each-ref").Should().BeEmpty();
    }

    [Test]
    public async Task SshThroughGitShell_ToAPathWithSpaces_PushesAndFetches()
    {
        var bare = ssh.CreateRepository("team repos/the config.git");
        var credentials = new GitCredentials { SshPrivateKey = ssh.ClientKey, KnownHosts = ssh.KnownHosts };
        await using (var worker = RunningWorker.Start(Options(ssh.UnescapedUrlFor("team repos/the config.git"), credentials)))
        {
            await worker.PutAsync("namespaces/prod/ConfigMap/app.yaml", "through git-shell\n");
            await worker.WaitUntilIdleAsync();
        }

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be("through git-shell\n");

        // A second clone fetches what the first pushed, over the same login.
        await using var second = RunningWorker.Start(Options(ssh.UrlFor("team repos/the config.git"), credentials));
        await second.PutAsync("namespaces/prod/ConfigMap/second.yaml", "2\n", name: "second");
        await second.WaitUntilIdleAsync();
        GitCli.Files(bare).Should().Equal("namespaces/prod/ConfigMap/app.yaml", "namespaces/prod/ConfigMap/second.yaml");
    }

    [Test]
    public async Task AServerThatRefusesThinPacks_TakesPushesThatBuildOnWhatItHas()
    {
        using var server = new SshGitServer(noThin: true);
        var bare = server.CreateRepository("no-thin.git");
        var credentials = new GitCredentials { SshPrivateKey = server.ClientKey, KnownHosts = server.KnownHosts };
        await using var worker = RunningWorker.Start(Options(server.UrlFor("no-thin.git"), credentials));
        var content = string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}\n"));
        for (var i = 0; i < 3; i++)
        {
            // Each push edits a file the remote has: a thin pack would send it as a delta against that.
            content += $"edit {i}\n";
            await worker.PutAsync("namespaces/prod/ConfigMap/app.yaml", content);
            await worker.WaitUntilIdleAsync(allowPending: true);
            worker.Worker.RequestPush();
            await worker.WaitUntilIdleAsync();
        }

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be(content);
        GitCli.Run(bare, "fsck", "--strict", "--no-dangling");
    }
}
