using GitOpsReverser.Git;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>The RepoWorker against a real smart-HTTP server (nginx, fcgiwrap, git http-backend) with basic auth.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class HttpRemoteTests
{
    private GitHttpServer server = null!;
    private TempDirectory temp = null!;

    [OneTimeSetUp]
    public void StartServer() => server = new GitHttpServer("robot", "s3cret-password");

    [OneTimeTearDown]
    public void StopServer() => server.Dispose();

    [SetUp]
    public void CreateTemp() => temp = new TempDirectory();

    [TearDown]
    public void RemoveTemp() => temp.Dispose();

    private RepoWorkerOptions Options(string repository, string password) => new()
    {
        Id = repository,
        Url = server.UrlFor(repository),
        DataDirectory = temp.Combine("data"),
        Credentials = new GitCredentials { Username = "robot", Password = password },
        PushQuietWindow = TimeSpan.FromMinutes(10),
        PermanentFailureRetry = TimeSpan.FromMinutes(10),
    };

    [Test]
    public async Task Push_WithBasicAuth_ArrivesOnTheServer()
    {
        var bare = server.CreateRepository("team.git");
        await using var worker = RunningWorker.Start(Options("team.git", "s3cret-password"));

        await worker.PutAsync("namespaces/prod/ConfigMap/app.yaml", "over http\n");
        await worker.WaitUntilIdleAsync();

        GitCli.Show(bare, "main", "namespaces/prod/ConfigMap/app.yaml").Should().Be("over http\n");
    }

    [Test]
    public async Task WrongPassword_IsAnAuthenticationErrorThatNamesTheUrl_AndNeverThePassword()
    {
        server.CreateRepository("locked.git");
        await using var worker = RunningWorker.Start(Options("locked.git", "wrong-password"));

        await worker.PutAsync("a.yaml", "a\n");
        var error = await worker.PushExpectingErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Authentication);
        error.Message.Should().Contain(server.UrlFor("locked.git")).And.Contain("check the username and password").And.NotContain("wrong-password");
        worker.Worker.Status.PendingCommits.Should().Be(1, "the commit waits in the clone");
    }

    [Test]
    public async Task PreReceiveHookRejection_IsSurfacedAsARejectedPush()
    {
        var bare = server.CreateRepository("protected.git");
        GitCli.WriteHook(bare, "#!/bin/sh\necho 'main is protected' >&2\nexit 1\n");

        await using var worker = RunningWorker.Start(Options("protected.git", "s3cret-password"));
        await worker.PutAsync("a.yaml", "a\n");
        var error = await worker.PushExpectingErrorAsync();

        error.Kind.Should().Be(GitFailureKind.Rejected);
        error.Message.Should().Contain("refs/heads/main").And.Contain("hook declined");
        GitCli.Run(bare, "for-each-ref").Should().BeEmpty();
    }

    [Test]
    public async Task SlowPush_CommitsGoOnWhileItRuns_AndTheNextPushCarriesThem()
    {
        var bare = server.CreateRepository("slow.git");
        var started = Path.Combine(temp.Path, "push-started");
        var gate = Path.Combine(temp.Path, "push-may-finish");
        GitCli.WriteHook(bare, $"#!/bin/sh\ntouch '{started}'\nfor i in $(seq 1 600); do [ -e '{gate}' ] && exit 0; sleep 0.05; done\nexit 1\n");
        await using var worker = RunningWorker.Start(Options("slow.git", "s3cret-password"));
        await worker.PutAsync("a.yaml", "a\n", name: "a");
        await worker.WaitUntilIdleAsync(allowPending: true);
        worker.Worker.RequestPush();
        await WaitForAsync(() => File.Exists(started));

        await worker.PutAsync("b.yaml", "b\n", name: "b");
        await worker.PutAsync("c.yaml", "c\n", name: "c");
        var during = await worker.WaitUntilIdleAsync(allowPending: true);

        during.PendingCommits.Should().Be(3, "b and c are committed while the push of a is still held by the server");
        GitCli.Run(bare, "for-each-ref").Should().BeEmpty("the server has not accepted the first push yet");
        await File.WriteAllTextAsync(gate, "");
        await worker.WaitUntilIdleAsync();
        GitCli.Log(bare, "%s").Should().Equal(
            "[UPDATE] ConfigMap/c in ns/prod by user/alice", "[UPDATE] ConfigMap/b in ns/prod by user/alice", "[UPDATE] ConfigMap/a in ns/prod by user/alice");
    }

    [Test]
    public async Task Backlog_IsPushedInPushesOfAtMostMaxCommits()
    {
        var bare = server.CreateRepository("bounded.git");
        var started = Path.Combine(temp.Path, "push-started");
        var gate = Path.Combine(temp.Path, "push-may-finish");
        var updates = Path.Combine(temp.Path, "updates");
        GitCli.WriteHook(bare, $"#!/bin/sh\ntouch '{started}'\nfor i in $(seq 1 600); do [ -e '{gate}' ] && exit 0; sleep 0.05; done\nexit 1\n");
        GitCli.WriteHook(bare, $"#!/bin/sh\nwhile read old new ref; do echo \"$old $new\" >> '{updates}'; done\n", "post-receive");
        await using var worker = RunningWorker.Start(Options("bounded.git", "s3cret-password") with { PushMaxCommits = 4 });
        await worker.PutAsync("first.yaml", "1\n", name: "first");
        await worker.WaitUntilIdleAsync(allowPending: true);
        worker.Worker.RequestPush();
        await WaitForAsync(() => File.Exists(started));
        for (var i = 0; i < 10; i++)
        {
            await worker.PutAsync($"backlog-{i}.yaml", $"{i}\n", name: $"backlog-{i}");
        }

        await worker.WaitUntilIdleAsync(allowPending: true);
        await File.WriteAllTextAsync(gate, "");
        await worker.WaitUntilIdleAsync();

        var pushed = (await File.ReadAllLinesAsync(updates)).Select(line => line.Split(' ')).Select(update =>
            int.Parse(GitCli.Run(bare, "rev-list", "--count", update[0].All(c => c == '0') ? update[1] : $"{update[0]}..{update[1]}").Trim(),
                System.Globalization.CultureInfo.InvariantCulture)).ToList();
        pushed.Should().OnlyContain(commits => commits >= 1 && commits <= 4, "push.maxCommits bounds every push, also after a backlog");
        pushed.Sum().Should().Be(11);
        GitCli.Log(bare).Should().HaveCount(11);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 30 s");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Https_WithTheCaFile_IsTrusted_AndWithoutItIsATrustError()
    {
        var bare = server.CreateRepository("tls.git");
        var trusted = Options("tls.git", "s3cret-password") with { Url = server.HttpsUrlFor("tls.git") };
        trusted = trusted with { Credentials = trusted.Credentials with { CaPem = server.CaPem } };
        await using (var worker = RunningWorker.Start(trusted))
        {
            await worker.PutAsync("a.yaml", "over https\n");
            await worker.WaitUntilIdleAsync();
        }

        GitCli.Show(bare, "main", "a.yaml").Should().Be("over https\n");
        var untrusted = Options("tls.git", "s3cret-password") with { Url = server.HttpsUrlFor("tls.git"), Id = "untrusted" };
        await using var failing = RunningWorker.Start(untrusted);
        var error = await failing.WaitForErrorAsync();
        error.Kind.Should().Be(GitFailureKind.Trust);
        error.Message.Should().Contain("caFile");
    }

    [Test]
    public async Task BearerToken_IsSentAsAnAuthorizationHeader()
    {
        var bare = server.CreateRepository("token.git");
        var options = Options("token.git", "unused") with
        {
            Url = server.BearerUrlFor("token.git"),
            Credentials = new GitCredentials { BearerToken = "test-bearer-token" },
        };
        await using var worker = RunningWorker.Start(options);

        await worker.PutAsync("a.yaml", "with a token\n");
        await worker.WaitUntilIdleAsync();

        GitCli.Show(bare, "main", "a.yaml").Should().Be("with a token\n");
    }
}
