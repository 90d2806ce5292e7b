using GitOpsReverser.Git;
using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>The RepoWorker against real bare repositories, every result read back with the git CLI.</summary>
[Category("Integration")]
public sealed class RepoWorkerTests
{
    private TempDirectory temp = null!;
    private string remote = null!;

    [SetUp]
    public void CreateRemote()
    {
        temp = new TempDirectory();
        remote = GitCli.InitBare(temp.Combine("remote.git"));
    }

    [TearDown]
    public void RemoveTemp() => temp.Dispose();

    private RepoWorkerOptions Options(string id = "repo", string? url = null, string branch = "main") => new()
    {
        Id = id,
        Url = url ?? remote,
        Branch = branch,
        DataDirectory = temp.Combine("data"),
        PushQuietWindow = TimeSpan.FromMinutes(10),
        PushMaxDelay = TimeSpan.FromMinutes(10),
        PermanentFailureRetry = TimeSpan.FromMilliseconds(200),
    };

    private const string CmPath = "namespaces/prod/ConfigMap/app.yaml";

    [Test]
    public async Task Change_BecomesOneCommitWithTheSeedMessageAuthorAndFile()
    {
        await using var worker = RunningWorker.Start(Options());
        var when = new DateTimeOffset(2026, 1, 31, 18, 30, 0, TimeSpan.Zero);

        await worker.PutAsync(CmPath, "data:\n  key: value\n", user: "alice@example.com", at: when, operation: GitOpsReverser.Git.ChangeOperation.Create);
        var status = await worker.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().Equal("[CREATE] ConfigMap/app in ns/prod by user/alice@example.com");
        GitCli.Log(remote, "%an <%ae> %aI|%cn <%ce>").Single().Should()
            .Be("alice@example.com <alice@example.com> 2026-01-31T18:30:00+00:00|GitOps Reverser <gitops-reverser@localhost>");
        GitCli.Show(remote, "main", CmPath).Should().Be("data:\n  key: value\n");
        GitCli.Run(remote, "log", "-1", "--format=%B", "main").Should().Contain("- Resource Version: 42");
        status.LastCommit.Should().Be(GitCli.Run(remote, "rev-parse", "main").Trim());
        status.LastPushTime.Should().NotBeNull();
        Directory.Exists(Path.Combine(temp.Combine("data"), "repos", "repo")).Should().BeTrue();
        File.Exists(Path.Combine(temp.Combine("data"), "repos", "repo", "HEAD")).Should().BeTrue("the clone is bare");
    }

    [Test]
    public async Task Takeover_CommitsEachChangeTheOldLeaderDidNot_InOrder_WithItsOwnMessage()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        GitChange At(string name, string? content, string version, int second, ChangeOperation operation) =>
            RunningWorker.Change($"namespaces/prod/ConfigMap/{name}.yaml", content is null ? null : System.Text.Encoding.UTF8.GetBytes(content), name,
                null, start.AddSeconds(second), operation) with
            {
                Description = new ChangeDescription(operation,
                    new GitOpsReverser.Manifests.ObjectIdentity("v1", "ConfigMap", "prod", name), "kubectl-edit", start.AddSeconds(second), version)
            };

        // What a standby saw: a toggled back and forth (versions 2, 3, 4), b created, c created then deleted.
        var journal = new[]
        {
            At("a", "v: 1\n", "2", 1, ChangeOperation.Create),
            At("a", "v: 2\n", "3", 2, ChangeOperation.Update),
            At("b", "v: 1\n", "5", 3, ChangeOperation.Create),
            At("a", "v: 1\n", "4", 4, ChangeOperation.Update),
            At("c", "v: 1\n", "6", 5, ChangeOperation.Create),
            At("c", null, "7", 6, ChangeOperation.Delete),
        };

        // The old leader committed and pushed the first three, then died.
        await using (var leader = RunningWorker.Start(Options("leader")))
        {
            foreach (var change in journal.Take(3))
            {
                await leader.Worker.EnqueueAsync(change, CancellationToken.None);
            }

            await leader.WaitUntilIdleAsync();
        }

        await using var standby = RunningWorker.Create(Options("standby")) is var worker ? RunningWorker.Wrap(worker) : null!;
        await standby.Worker.EnqueueTakeoverAsync(journal, CancellationToken.None);
        standby.Run();
        await standby.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().Equal(
            "[DELETE] ConfigMap/c in ns/prod by manager/kubectl-edit",
            "[CREATE] ConfigMap/c in ns/prod by manager/kubectl-edit",
            "[UPDATE] ConfigMap/a in ns/prod by manager/kubectl-edit",
            "[CREATE] ConfigMap/b in ns/prod by manager/kubectl-edit",
            "[UPDATE] ConfigMap/a in ns/prod by manager/kubectl-edit",
            "[CREATE] ConfigMap/a in ns/prod by manager/kubectl-edit");
        GitCli.Run(remote, "log", "-1", "--skip=2", "--format=%B", "main").Should().Contain("- Resource Version: 4",
            "a's return to its first content is its own change, told apart by its resource version");
        GitCli.Show(remote, "main", "namespaces/prod/ConfigMap/a.yaml").Should().Be("v: 1\n");
    }

    [Test]
    public async Task Resync_IsOneCommitBetweenWhatWasQueuedBeforeAndAfter_AndReadFilesSeesCommittedState()
    {
        await using var worker = RunningWorker.Start(Options());
        await worker.PutAsync("namespaces/prod/ConfigMap/a.yaml", "a: 1\n", name: "a");
        var files = await worker.Worker.ReadFilesAsync("namespaces", CancellationToken.None);
        files.Keys.Should().Equal(["namespaces/prod/ConfigMap/a.yaml"], "the change queued before the read is committed first");

        await worker.Worker.EnqueueResyncAsync(
        [
            RunningWorker.Change("namespaces/prod/ConfigMap/b.yaml", "b: 1\n"u8.ToArray(), "b", "bob", null, ChangeOperation.Create),
            RunningWorker.Change("namespaces/prod/ConfigMap/a.yaml", null, "a", null, null, ChangeOperation.Delete),
        ], CancellationToken.None);
        await worker.PutAsync("namespaces/prod/ConfigMap/b.yaml", "b: 2\n", name: "b");
        await worker.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().Equal(
            "[UPDATE] ConfigMap/b in ns/prod by user/alice",
            "[RESYNC] 2 changes",
            "[UPDATE] ConfigMap/a in ns/prod by user/alice");
        GitCli.Run(remote, "log", "-1", "--skip=1", "--format=%B%an", "main").Should().Be(
            "[RESYNC] 2 changes\n\n- [CREATE] ConfigMap/b in ns/prod by user/bob\n- [DELETE] ConfigMap/a in ns/prod\nGitOps Reverser\n");
        GitCli.Show(remote, "main", "namespaces/prod/ConfigMap/b.yaml").Should().Be("b: 2\n");
        GitCli.Files(remote).Should().Equal("namespaces/prod/ConfigMap/b.yaml");
    }

    [Test]
    public async Task SameContentAndMissingDeletes_MakeNoCommit_DeletesRemoveEmptyFolders()
    {
        await using var worker = RunningWorker.Start(Options());

        await worker.PutAsync(CmPath, "v1\n");
        await worker.PutAsync("namespaces/prod/ConfigMap/other.yaml", "o\n", name: "other");
        await worker.WaitUntilIdleAsync();
        await worker.PutAsync(CmPath, "v1\n");
        await worker.DeleteAsync("namespaces/prod/ConfigMap/missing.yaml", name: "missing");
        await worker.DeleteAsync(CmPath);
        await worker.DeleteAsync("namespaces/prod/ConfigMap/other.yaml", name: "other");
        await worker.PutAsync("cluster-scoped/Namespace/prod.yaml", "ns\n", name: "prod");
        await worker.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().HaveCount(5);
        GitCli.Files(remote).Should().Equal("cluster-scoped/Namespace/prod.yaml");
    }

    [Test]
    public async Task QueuedChanges_BelowTheBound_AreEachTheirOwnCommit_InOrder()
    {
        using var worker = RunningWorker.Create(Options());
        await worker.EnqueueAsync(RunningWorker.Change("a.yaml", "a1"u8.ToArray(), "a", "u", null, GitOpsReverser.Git.ChangeOperation.Create), default);
        await worker.EnqueueAsync(RunningWorker.Change("b.yaml", "b1"u8.ToArray(), "b", "u", null, GitOpsReverser.Git.ChangeOperation.Create), default);
        await worker.EnqueueAsync(RunningWorker.Change("a.yaml", "a2"u8.ToArray(), "a", "u", null, GitOpsReverser.Git.ChangeOperation.Update), default);
        await worker.EnqueueAsync(RunningWorker.Change("a.yaml", null, "a", "u", null, GitOpsReverser.Git.ChangeOperation.Delete), default);
        worker.Status.QueuedChanges.Should().Be(4);

        await RunUntilPushedAsync(worker);

        GitCli.Log(remote, "%s").Should().Equal(
            "[DELETE] ConfigMap/a in ns/prod by user/u", "[UPDATE] ConfigMap/a in ns/prod by user/u",
            "[CREATE] ConfigMap/b in ns/prod by user/u", "[CREATE] ConfigMap/a in ns/prod by user/u");
        worker.Status.CoalescedChanges.Should().Be(0);
    }

    [Test]
    public async Task QueuedChanges_PastTheBound_FoldPerObject_WithOperationsAsTheBranchSeesThem()
    {
        // b.yaml is on the branch; a.yaml and c.yaml are not.
        await using (var seed = RunningWorker.Start(Options()))
        {
            await seed.PutAsync("b.yaml", "b1\n", name: "b", operation: GitOpsReverser.Git.ChangeOperation.Create);
            await seed.WaitUntilIdleAsync();
        }

        using var meters = new TestMeterFactory();
        long coalescedMetric = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "gitops_reverser_git_changes_coalesced_total")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref coalescedMetric, value));
        listener.Start();

        GitChange Change(string path, string? content, string name, GitOpsReverser.Git.ChangeOperation operation) =>
            RunningWorker.Change(path, content is null ? null : System.Text.Encoding.UTF8.GetBytes(content), name, "u", null, operation);
        GitChange[] first = [Change("a.yaml", "a1\n", "a", GitOpsReverser.Git.ChangeOperation.Create), Change("b.yaml", "b2\n", "b", GitOpsReverser.Git.ChangeOperation.Update),
            Change("c.yaml", "c1\n", "c", GitOpsReverser.Git.ChangeOperation.Create)];
        var bound = first.Sum(change => new QueuedChange(change, 1).Bytes);
        using var worker = RunningWorker.Create(Options() with { QueueBytes = bound }, meters);
        foreach (var change in first)
        {
            await worker.EnqueueAsync(change, default);
        }

        // At the bound: each of these folds into its object's waiting change.
        await worker.EnqueueAsync(Change("a.yaml", "a2\n", "a", GitOpsReverser.Git.ChangeOperation.Update), default);
        await worker.EnqueueAsync(Change("b.yaml", null, "b", GitOpsReverser.Git.ChangeOperation.Delete), default);
        await worker.EnqueueAsync(Change("c.yaml", "c2\n", "c", GitOpsReverser.Git.ChangeOperation.Update), default);
        await worker.EnqueueAsync(Change("c.yaml", null, "c", GitOpsReverser.Git.ChangeOperation.Delete), default);
        (worker.Status.QueuedChanges, worker.Status.CoalescedChanges).Should().Be((3, 4));
        worker.Status.QueuedBytes.Should().BeLessThanOrEqualTo(bound, "memory stays within the bound");

        await RunUntilPushedAsync(worker);

        GitCli.Log(remote, "%s").Should().Equal(
            "[DELETE] ConfigMap/b in ns/prod by user/u", "[CREATE] ConfigMap/a in ns/prod by user/u", "[CREATE] ConfigMap/b in ns/prod by user/alice");
        GitCli.Run(remote, "log", "-1", "--format=%B", "main").Should().Contain("- Operation: DELETE\n").And.Contain("- Coalesced: 2 changes\n");
        GitCli.Run(remote, "log", "-1", "--format=%B", "main~1").Should().Contain("- Operation: CREATE\n").And.Contain("- Coalesced: 2 changes\n");
        GitCli.Show(remote, "main", "a.yaml").Should().Be("a2\n");
        GitCli.Files(remote).Should().Equal("a.yaml");
        listener.RecordObservableInstruments();
        Interlocked.Read(ref coalescedMetric).Should().Be(4);
    }

    // Runs a worker created with RunningWorker.Create until everything it holds is committed and pushed.
    private static async Task RunUntilPushedAsync(RepoWorker worker)
    {
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!worker.Status.Started || worker.Status.QueuedChanges > 0 || worker.Status.PendingCommits > 0 || worker.Status.LastPushTime is null)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the worker should commit and push: {worker.Status}");
            worker.RequestPush();
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task Pushes_AreBatched_ByMaxCommits()
    {
        await using var worker = RunningWorker.Start(Options() with { PushMaxCommits = 3 });

        for (var i = 0; i < 3; i++)
        {
            await worker.PutAsync($"f{i}.yaml", $"{i}\n", name: $"f{i}");
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (GitCli.Run(remote, "for-each-ref").Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        GitCli.Log(remote).Should().HaveCount(3, "three commits reach the push limit and go out together");
    }

    [Test]
    public async Task CommitWindow_GroupsChangesIntoOneCommit_ListingEveryChangeInOrder()
    {
        await using var worker = RunningWorker.Start(Options() with { CommitWindow = TimeSpan.FromMilliseconds(300) });

        await worker.PutAsync("x.yaml", "x\n", name: "x", operation: GitOpsReverser.Git.ChangeOperation.Create);
        await worker.PutAsync("y.yaml", "y\n", name: "y", operation: GitOpsReverser.Git.ChangeOperation.Create);
        await worker.PutAsync("x.yaml", "x2\n", name: "x");
        await worker.DeleteAsync("y.yaml", name: "y");
        await worker.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().Equal("[BATCH] 4 changes");
        GitCli.Run(remote, "log", "-1", "--format=%b", "main").Should().Be(
            "- [CREATE] ConfigMap/x in ns/prod by user/alice\n- [CREATE] ConfigMap/y in ns/prod by user/alice\n" +
            "- [UPDATE] ConfigMap/x in ns/prod by user/alice\n- [DELETE] ConfigMap/y in ns/prod by user/alice\n\n");
        GitCli.Files(remote).Should().Equal(["x.yaml"], "the files hold the final state");
        GitCli.Show(remote, "main", "x.yaml").Should().Be("x2\n");
    }

    [Test]
    public async Task BranchMoved_OlderPendingChangeToTheSamePath_IsDropped_GitWins()
    {
        await using var worker = RunningWorker.Start(Options());
        await worker.PutAsync("seed.yaml", "seed\n", name: "seed");
        await worker.WaitUntilIdleAsync();

        await worker.PutAsync(CmPath, "from cluster\n", at: DateTimeOffset.UtcNow.AddHours(-1));
        await worker.PutAsync("namespaces/prod/ConfigMap/ours.yaml", "ours\n", name: "ours", at: DateTimeOffset.UtcNow.AddHours(-1));
        await worker.WaitUntilIdleAsync(allowPending: true);
        PushFromElsewhere(CmPath, "from git\n");

        await worker.WaitUntilIdleAsync();

        GitCli.Show(remote, "main", CmPath).Should().Be("from git\n");
        GitCli.Show(remote, "main", "namespaces/prod/ConfigMap/ours.yaml").Should().Be("ours\n");
        GitCli.Log(remote, "%an").Should().Equal("alice", "Someone Else", "alice");
        GitCli.Run(remote, "rev-list", "--merges", "main").Should().BeEmpty("never a merge commit");
    }

    [Test]
    public async Task BranchMoved_NewerPendingChangeToTheSamePath_IsReapplied_ClusterWins()
    {
        await using var worker = RunningWorker.Start(Options());
        await worker.PutAsync("seed.yaml", "seed\n", name: "seed");
        await worker.WaitUntilIdleAsync();

        await worker.PutAsync(CmPath, "from cluster\n", at: DateTimeOffset.UtcNow.AddHours(1));
        await worker.WaitUntilIdleAsync(allowPending: true);
        PushFromElsewhere(CmPath, "from git\n");
        PushFromElsewhere("README.md", "someone's readme\n");

        await worker.WaitUntilIdleAsync();

        GitCli.Show(remote, "main", CmPath).Should().Be("from cluster\n");
        GitCli.Show(remote, "main", "README.md").Should().Be("someone's readme\n");
        GitCli.Log(remote, "%an").Should().Equal("alice", "Someone Else", "Someone Else", "alice");
    }

    [Test]
    public async Task RemoteDown_CommitsStayLocal_ThenArriveInOrder()
    {
        var moved = remote + ".away";
        await using var worker = RunningWorker.Start(Options());
        await worker.PutAsync("first.yaml", "1\n", name: "first");
        await worker.WaitUntilIdleAsync();
        Directory.Move(remote, moved);

        for (var i = 0; i < 3; i++)
        {
            await worker.PutAsync($"down-{i}.yaml", $"{i}\n", name: $"down-{i}");
        }

        var down = await worker.WaitUntilIdleAsync(allowPending: true);
        worker.Worker.RequestPush();
        await WaitForAsync(() => worker.Worker.Status.LastError is not null);
        down.PendingCommits.Should().Be(3);
        worker.Worker.Status.LastError!.Message.Should().Contain(remote);
        worker.Worker.Status.LastError!.Kind.Should().Be(GitFailureKind.Configuration, "a missing repository is not a network blip");
        Directory.Move(moved, remote);

        await worker.WaitUntilIdleAsync();

        GitCli.Log(remote, "%s").Should().Equal(
            "[UPDATE] ConfigMap/down-2 in ns/prod by user/alice",
            "[UPDATE] ConfigMap/down-1 in ns/prod by user/alice",
            "[UPDATE] ConfigMap/down-0 in ns/prod by user/alice",
            "[UPDATE] ConfigMap/first in ns/prod by user/alice");
        worker.Worker.Status.LastError.Should().BeNull();
    }

    [Test]
    public async Task UnreachableServer_IsATransientFailure_AndCommitsGoOnLocally()
    {
        await using var worker = RunningWorker.Start(Options(url: "http://127.0.0.1:1/nobody.git"));

        await worker.PutAsync("a.yaml", "a\n", name: "a");
        await worker.PutAsync("b.yaml", "b\n", name: "b");
        var status = await worker.WaitUntilIdleAsync(allowPending: true);
        worker.Worker.RequestPush();
        await WaitForAsync(() => worker.Worker.Status.LastError is not null);

        worker.Worker.Status.LastError!.Kind.Should().Be(GitFailureKind.Transient);
        status.PendingCommits.Should().Be(2);
    }

    [Test]
    public async Task Restart_PushesCommitsAnEarlierRunMadeButCouldNotPush_WithoutDuplicates()
    {
        var moved = remote + ".away";
        await using (var first = RunningWorker.Start(Options()))
        {
            await first.PutAsync("before.yaml", "b\n", name: "before");
            await first.WaitUntilIdleAsync();
            Directory.Move(remote, moved);
            await first.PutAsync("while-down.yaml", "d\n", name: "while-down");
            await first.WaitUntilIdleAsync(allowPending: true);
        }

        Directory.Move(moved, remote);
        await using var second = RunningWorker.Start(Options());
        await second.WaitUntilIdleAsync();

        GitCli.Log(remote).Should().Equal("[UPDATE] ConfigMap/while-down in ns/prod by user/alice", "[UPDATE] ConfigMap/before in ns/prod by user/alice");
    }

    [Test]
    public async Task Stop_PushesWhatWasCommitted_WithoutWaitingForTheBatchingWindow()
    {
        // Options() batches pushes for 10 minutes.
        await using (var worker = RunningWorker.Start(Options()))
        {
            await worker.PutAsync("one.yaml", "1\n", name: "one");
            await worker.PutAsync("two.yaml", "2\n", name: "two");
            (await worker.WaitUntilIdleAsync(allowPending: true)).PendingCommits.Should().Be(2, "the batching window holds the push back");
        }

        GitCli.Log(remote).Should().Equal("[UPDATE] ConfigMap/two in ns/prod by user/alice", "[UPDATE] ConfigMap/one in ns/prod by user/alice");
    }

    [Test]
    public async Task StoppedClone_BehindTheRemote_MovesUpToItAtStart()
    {
        await using (var first = RunningWorker.Start(Options()))
        {
            await first.PutAsync("mine.yaml", "1\n", name: "mine");
            await first.WaitUntilIdleAsync();
        }

        PushFromElsewhere("theirs.yaml", "theirs\n");
        var remoteHead = GitCli.Run(remote, "rev-parse", "main").Trim();
        await using var second = RunningWorker.Start(Options());
        var started = await second.WaitUntilIdleAsync();

        started.LastCommit.Should().Be(remoteHead, "the clone had nothing to push, so it took the remote branch as it is");
        await second.PutAsync("mine.yaml", "2\n", name: "mine");
        await second.WaitUntilIdleAsync();
        GitCli.Log(remote, "%an").Should().Equal("alice", "Someone Else", "alice");
    }

    [Test]
    public async Task Compaction_PacksWhatChangedSinceTheLastPacking_AndRepacksAfterMaximumPacks()
    {
        await using var worker = RunningWorker.Start(Options() with { CompactAfterCommits = 5 });
        var clone = worker.Worker.ClonePath;
        string[] Packs() => Directory.GetFiles(Path.Combine(clone, "objects", "pack"), "*.pack");
        for (var i = 0; i < 12; i++)
        {
            await worker.PutAsync($"namespaces/prod/ConfigMap/cm-{i % 4}.yaml", $"{i}\n", name: $"cm-{i % 4}");
            await worker.WaitUntilIdleAsync();
        }

        var loose = Directory.GetDirectories(Path.Combine(clone, "objects")).Where(d => Path.GetFileName(d).Length == 2)
            .Sum(d => Directory.GetFiles(d).Length);
        loose.Should().BeLessThan(15, "commits before the last packing live in packs");
        Packs().Should().HaveCount(2, "the first packing writes everything, the second only what changed since");
        GitCli.Run(clone, "fsck", "--strict", "--no-dangling");

        for (var i = 12; i < 12 + (5 * LocalClone.MaximumPacks); i++)
        {
            await worker.PutAsync($"namespaces/team-{i % 3}/ConfigMap/cm-{i % 7}.yaml", $"{i}\n", name: $"cm-{i % 7}");
            await worker.WaitUntilIdleAsync();
        }

        Packs().Length.Should().BeInRange(1, LocalClone.MaximumPacks, "once there are too many packs, one pack replaces them");
        GitCli.Run(clone, "fsck", "--strict", "--no-dangling");
        GitCli.Run(temp.Path, "clone", "--quiet", clone, temp.Combine("from-clone"));
        GitCli.Log(remote).Should().HaveCount(12 + (5 * LocalClone.MaximumPacks));
        GitCli.Show(remote, "main", "namespaces/prod/ConfigMap/cm-3.yaml").Should().Be("11\n");
    }

    [Test]
    public async Task ManyCommits_AcrossPushesAndPackings_LoseNothing()
    {
        await using var worker = RunningWorker.Start(Options() with { CompactAfterCommits = 20, PushMaxCommits = 10 });
        var clone = worker.Worker.ClonePath;

        for (var i = 0; i < 300; i++)
        {
            await worker.PutAsync($"namespaces/ns-{i % 3}/ConfigMap/cm-{i % 30}.yaml", $"{i}\n", name: $"cm-{i % 30}");

            // Committed one by one (no coalescing), while pushes and packings come and go.
            while (worker.Worker.Status.QueuedChanges > 0)
            {
                await Task.Delay(1);
            }
        }

        await worker.WaitUntilIdleAsync(seconds: 60);

        Directory.GetFiles(Path.Combine(clone, "objects", "pack"), "*.pack").Should().NotBeEmpty();
        GitCli.Run(clone, "fsck", "--strict", "--no-dangling");
        GitCli.Run(remote, "fsck", "--strict", "--no-dangling");
        GitCli.Log(remote).Should().HaveCount(300, "every change is one commit");
        GitCli.Show(remote, "main", "namespaces/ns-2/ConfigMap/cm-29.yaml").Should().Be("299\n");
        GitCli.Show(remote, "main", "namespaces/ns-0/ConfigMap/cm-0.yaml").Should().Be("270\n");
    }

    [Test]
    public async Task TwoWorkers_OnTwoBranchesOfOneRepository()
    {
        await using var main = RunningWorker.Start(Options("main-worker"));
        await using var staging = RunningWorker.Start(Options("staging-worker", branch: "staging"));

        await main.PutAsync("main.yaml", "m\n", name: "m");
        await staging.PutAsync("staging.yaml", "s\n", name: "s");
        await main.WaitUntilIdleAsync();
        await staging.WaitUntilIdleAsync();

        GitCli.Files(remote, "main").Should().Equal("main.yaml");
        GitCli.Files(remote, "staging").Should().Equal("staging.yaml");
    }

    [Test]
    public async Task ExistingRepository_IsCloned_AndItsOtherFilesAreKept()
    {
        PushFromElsewhere("README.md", "hello\n");
        await using var worker = RunningWorker.Start(Options());

        await worker.PutAsync(CmPath, "v\n");
        await worker.WaitUntilIdleAsync();

        GitCli.Files(remote).Should().Equal("README.md", CmPath);
        GitCli.Log(remote).Should().HaveCount(2);
    }

    [Test]
    public async Task OthersExecutableFiles_KeepTheirMode_WhenTheirFolderIsRewritten()
    {
        var work = temp.Combine("elsewhere-exec");
        GitCli.Run(temp.Path, "clone", "--quiet", remote, work);
        Directory.CreateDirectory(Path.Combine(work, "scripts"));
        File.WriteAllText(Path.Combine(work, "scripts", "run.sh"), "#!/bin/sh\n");
        GitCli.Run(work, "add", "-A");
        GitCli.Run(work, "update-index", "--chmod=+x", "scripts/run.sh");
        GitCli.Run(work, "commit", "--quiet", "-m", "a script");
        GitCli.Run(work, "push", "--quiet", "origin", "HEAD:main");
        await using var worker = RunningWorker.Start(Options());

        await worker.PutAsync("scripts/app.yaml", "v\n");
        await worker.WaitUntilIdleAsync();

        GitCli.Run(remote, "ls-tree", "main", "scripts/").Should().Contain("100755 blob").And.Contain("100644 blob");
        GitCli.Run(remote, "fsck", "--strict", "--no-dangling");
    }

    private void PushFromElsewhere(string path, string content)
    {
        var work = temp.Combine("elsewhere-" + Guid.NewGuid().ToString("N")[..6]);
        GitCli.Run(temp.Path, "clone", "--quiet", remote, work);
        var file = Path.Combine(work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        GitCli.Run(work, "add", "-A");
        GitCli.Run(work, "commit", "--quiet", "-m", $"edit {path} by hand");
        GitCli.Run(work, "push", "--quiet", "origin", "HEAD:main");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not reached in 20 s");
            }

            await Task.Delay(20);
        }
    }
}
