using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Attribution;
using GitOpsReverser.Capture;
using GitOpsReverser.Git;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using GitOpsReverser.UnitTests.TestSupport;

namespace GitOpsReverser.UnitTests.Capture;

/// <summary>
/// <see cref="RepoCapture"/> between an event and the Git pipeline, against a fake pipeline: what becomes
/// a change, what does not, and what a resync commits.
/// </summary>
public sealed class RepoCaptureTests
{
    private static readonly WatchedResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);

    private static RepoSpec Spec(string baseFolder = "") =>
        new(new ResourceKey("GitRepoConfig", "ops", "audit"), 1, "https://git.example.com/audit.git", "main", null, baseFolder, null, null, null,
            TimeSpan.Zero, null, null);

    private static CaptureRule Rule(string spec = """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}] """) =>
        RuleIn("team-a", spec);

    /// <summary>A WatchRule in <paramref name="ns"/> whose spec, besides its reference to GitRepoConfig audit, is <paramref name="spec"/> (JSON members).</summary>
    internal static CaptureRule RuleIn(string ns, string spec) =>
        SpecReader.ReadRule(SpecReader.WatchRuleKind, JsonNode.Parse($$$"""
            {"apiVersion": "configbutler.ai/v1alpha1", "kind": "WatchRule",
             "metadata": {"name": "configs", "namespace": "{{{ns}}}", "generation": 1},
             "spec": {"gitRepoConfigRef": "audit", {{{spec}}} }}
            """)!.AsObject(), "gitops-reverser-system");

    private static MappingNode ConfigMap(string name, string value, string resourceVersion = "10", string manager = "kubectl-edit") =>
        (MappingNode)JsonManifestReader.Read(Encoding.UTF8.GetBytes($$"""
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "{{name}}", "namespace": "team-a", "uid": "6f1c0d2e-0000-4000-8000-00000000000{{name.Length % 10}}", "resourceVersion": "{{resourceVersion}}",
                          "creationTimestamp": "2026-11-29T10:00:00Z",
                          "managedFields": [{"manager": "{{manager}}", "operation": "Update", "apiVersion": "v1", "time": "2026-11-29T10:00:0{{resourceVersion.Length}}Z"}]},
             "data": {"key": "{{value}}"} }
            """));

    // A capture whose resyncs are always one [RESYNC] (ColdStartCommitLimit 0), unless told otherwise.
    private static (RepoCapture Capture, FakeRepoPipeline Pipeline) Create(string baseFolder = "", int coldStartCommitLimit = 0)
    {
        var pipeline = new FakeRepoPipeline();
        return (new RepoCapture(Spec(baseFolder), "fingerprint", pipeline, TestSanitizer.Create(), TimeProvider.System)
        {
            ColdStartCommitLimit = coldStartCommitLimit,
        }, pipeline);
    }

    [Test]
    public async Task ANewObject_IsOneCreate_OfItsSanitizedYaml_AtItsPath()
    {
        var (capture, pipeline) = Create();

        var outcome = await capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None);

        outcome.Should().Be(CaptureOutcome.Committed);
        var change = pipeline.Changes.Should().ContainSingle().Which;
        change.Path.Should().Be("namespaces/team-a/ConfigMap/app.yaml");
        change.Description.Operation.Should().Be(ChangeOperation.Create);
        change.Description.Manager.Should().Be("kubectl-edit");
        change.Description.User.Should().BeNull("without attribution no user is known");
        change.Description.ResourceVersion.Should().Be("10");
        Encoding.UTF8.GetString(change.Content!).Should().Be("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app
              namespace: team-a
            data:
              key: one

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public async Task AnEventThatChangesNothingSanitized_IsNoChange_AndARealEditIsAnUpdate()
    {
        var (capture, pipeline) = Create();
        await capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None);

        var resent = await capture.UpsertAsync(ConfigMap("app", "one", resourceVersion: "11"), Rule(), CancellationToken.None);
        var withStatus = ConfigMap("app", "one", resourceVersion: "12");
        var status = new MappingNode();
        status.TryAdd("observed", ScalarNode.Number(ScalarKind.Integer, "12"));
        withStatus.TryAdd("status", status);
        var statusOnly = await capture.UpsertAsync(withStatus, Rule(), CancellationToken.None);
        var edited = await capture.UpsertAsync(ConfigMap("app", "two", resourceVersion: "13"), Rule(), CancellationToken.None);

        resent.Should().Be(CaptureOutcome.Unchanged);
        statusOnly.Should().Be(CaptureOutcome.Unchanged);
        edited.Should().Be(CaptureOutcome.Committed);
        pipeline.Changes.Select(change => change.Description.Operation).Should().Equal(ChangeOperation.Create, ChangeOperation.Update);
    }

    [Test]
    public async Task TheGitRepoConfigsIgnoreFields_ApplyToARuleThatSetsNone_AndARulesOwnReplaceThem()
    {
        var pipeline = new FakeRepoPipeline();
        var spec = Spec() with { IgnoreFields = [new IgnoredFields("", "ConfigMap", ["/data/key"], [])] };
        var capture = new RepoCapture(spec, "fingerprint", pipeline, TestSanitizer.Create(), TimeProvider.System);
        var own = Rule("""
            "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}], "ignoreFields": [{"kind": "ConfigMap", "jsonPointers": ["/metadata/labels"]}]
            """);

        await capture.UpsertAsync(ConfigMap("defaulted", "secret-ish"), Rule(), CancellationToken.None);
        await capture.UpsertAsync(ConfigMap("own", "kept"), own, CancellationToken.None);

        Encoding.UTF8.GetString(pipeline.Changes[0].Content!).Should().NotContain("secret-ish").And.NotContain("key:");
        Encoding.UTF8.GetString(pipeline.Changes[1].Content!).Should().Contain("key: kept");
        capture.UnmatchedIgnoreFields(own).Should().Equal("core/ConfigMap: /metadata/labels");
        capture.UnmatchedIgnoreFields(Rule()).Should().BeEmpty();
    }

    [Test]
    public async Task ADeletion_RemovesTheFileOnce()
    {
        var (capture, pipeline) = Create(baseFolder: "clusters/prod");
        await capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None);
        var identity = new ObjectIdentity("", "ConfigMap", "team-a", "app");

        var first = await capture.RemoveAsync(identity, "20", Rule(), CancellationToken.None);
        var again = await capture.RemoveAsync(identity, "21", Rule(), CancellationToken.None);

        first.Should().Be(CaptureOutcome.Committed);
        again.Should().Be(CaptureOutcome.Unchanged);
        pipeline.Changes.Should().HaveCount(2);
        pipeline.Changes[1].IsDeletion.Should().BeTrue();
        pipeline.Changes[1].Path.Should().Be("clusters/prod/namespaces/team-a/ConfigMap/app.yaml");
    }

    [Test]
    public async Task AnExcludedFieldManager_AndAnOperationTheRuleLeavesOut_MakeNoChange()
    {
        var (capture, pipeline) = Create();
        var createsOnly = Rule("""
            "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}], "operations": ["CREATE"], "excludeFieldManagers": ["argocd-controller"]
            """);

        (await capture.UpsertAsync(ConfigMap("app", "one", manager: "argocd-controller"), createsOnly, CancellationToken.None))
            .Should().Be(CaptureOutcome.Excluded);
        (await capture.UpsertAsync(ConfigMap("other", "one"), createsOnly, CancellationToken.None)).Should().Be(CaptureOutcome.Committed);
        (await capture.UpsertAsync(ConfigMap("other", "two", resourceVersion: "11"), createsOnly, CancellationToken.None))
            .Should().Be(CaptureOutcome.Excluded);

        pipeline.Changes.Should().ContainSingle().Which.Path.Should().EndWith("/other.yaml");
    }

    [Test]
    public async Task AResync_CommitsWhatDiffers_AndDeletesOwnedFilesNoObjectHas_InPathOrder()
    {
        var (capture, pipeline) = Create();
        capture.Start();
        var unchanged = ConfigMap("same", "as in git");
        await capture.UpsertAsync(unchanged, Rule(), CancellationToken.None);
        var sameContent = pipeline.Changes.Single().Content!;
        pipeline.Changes.Clear();
        pipeline.Files["namespaces/team-a/ConfigMap/same.yaml"] = BlobId.Of(sameContent);
        pipeline.Files["namespaces/team-a/ConfigMap/edited.yaml"] = BlobId.Of("old\n"u8.ToArray());
        pipeline.Files["namespaces/team-a/ConfigMap/gone.yaml"] = BlobId.Of("gone\n"u8.ToArray());
        pipeline.Files["namespaces/team-b/Secret/not-owned.yaml"] = BlobId.Of("kept\n"u8.ToArray());
        pipeline.Files["README.md"] = BlobId.Of("# ours\n"u8.ToArray());

        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [ConfigMaps] = 1 },
            path => path.StartsWith("namespaces/team-a/ConfigMap/", StringComparison.Ordinal), CancellationToken.None);
        await capture.Finishing;
        foreach (var obj in new[] { ConfigMap("same", "as in git"), ConfigMap("edited", "new"), ConfigMap("added", "new") })
        {
            (await capture.UpsertAsync(obj, Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Resync);
        }

        capture.Synced.Should().BeFalse("the list the sync waits for has not completed");
        pipeline.Resyncs.Should().BeEmpty();
        await capture.ListedAsync(ConfigMaps, 1, CancellationToken.None);
        await capture.Finishing;

        capture.Synced.Should().BeTrue();
        pipeline.Changes.Should().BeEmpty("a sync collects; only its resync commits");
        pipeline.Resyncs.Should().ContainSingle().Which.Select(change => $"{change.Description.Operation} {change.Path}").Should().Equal(
            "Create namespaces/team-a/ConfigMap/added.yaml",
            "Update namespaces/team-a/ConfigMap/edited.yaml",
            "Delete namespaces/team-a/ConfigMap/gone.yaml");
        pipeline.PushRequests.Should().Be(1);
        await capture.DisposeAsync();
        pipeline.Disposed.Should().BeTrue();
    }

    [TestCase(3, true)]
    [TestCase(2, false)]
    public async Task AfterAGap_AFewChangesAreEachTheirOwnCommit_MoreAreOneResync_AndANewKindIsAlwaysOneResync(int limit, bool oneByOne)
    {
        var (capture, pipeline) = Create(coldStartCommitLimit: limit);
        capture.Start();
        pipeline.Files["namespaces/team-a/ConfigMap/gone.yaml"] = BlobId.Of("gone\n"u8.ToArray());
        var all = SyncScope.All(new Dictionary<WatchedResource, IReadOnlySet<string>?> { [ConfigMaps] = null });

        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [ConfigMaps] = 1 }, _ => true, CancellationToken.None, all);
        await capture.UpsertAsync(ConfigMap("one", "1"), Rule(), CancellationToken.None);
        await capture.UpsertAsync(ConfigMap("two", "2", manager: "kubectl-patch"), Rule(), CancellationToken.None);
        await capture.ListedAsync(ConfigMaps, 1, CancellationToken.None);
        await capture.Finishing;

        if (oneByOne)
        {
            pipeline.Resyncs.Should().BeEmpty();
            pipeline.Changes.Select(change => $"{change.Description.Operation} {change.Description.Object.Name} {change.Description.Manager}")
                .Should().Equal("Create one kubectl-edit", "Create two kubectl-patch", "Delete gone ");
        }
        else
        {
            pipeline.Changes.Should().BeEmpty();
            pipeline.Resyncs.Should().ContainSingle().Which.Should().HaveCount(3);
        }

        // A kind newly captured is one [RESYNC], however few its objects.
        var secrets = new WatchedResource("", "v1", "secrets", "Secret", true);
        pipeline.Changes.Clear();
        pipeline.Resyncs.Clear();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [secrets] = 1 }, _ => true, CancellationToken.None,
            new SyncScope(new Dictionary<WatchedResource, IReadOnlySet<string>?> { [secrets] = null }));
        await capture.UpsertAsync(ConfigMap("three", "3"), Rule(), CancellationToken.None);
        pipeline.Changes.Should().ContainSingle("a ConfigMap is outside the new kind's resync: it is its own commit at once");
        await capture.ListedAsync(secrets, 1, CancellationToken.None);
        await capture.Finishing;
        await capture.DisposeAsync();
    }

    [Test]
    public async Task WritesTheWebhookSawDuringASync_AreCommittedInTheirWritersNames()
    {
        // A takeover: the new leader's webhook records bob's create and carol's delete while its capture still lists.
        using var records = new AttributionRecords(TimeProvider.System);
        var pipeline = new FakeRepoPipeline();
        var capture = new RepoCapture(Spec(), "fingerprint", pipeline, TestSanitizer.Create(), TimeProvider.System, attribution: records)
        {
            ColdStartCommitLimit = 10,
        };
        capture.Start();
        pipeline.Files["namespaces/team-a/ConfigMap/gone.yaml"] = BlobId.Of("gone\n"u8.ToArray());
        var two = ConfigMap("two", "2", manager: "kubectl-create");
        var sanitized = TestSanitizer.Create().Sanitize((MappingNode)two.DeepClone()).Manifest!;
        records.Add(new AttributionRecord(AttributionRecords.KeyOf("", "ConfigMap", "team-a", "two"), "CREATE",
            ContentHash.Of(Encoding.UTF8.GetBytes(CanonicalYaml.Write(sanitized))), "bob@company.com", ["developers"], "uid-1", DateTimeOffset.UtcNow));
        records.Add(new AttributionRecord(AttributionRecords.KeyOf("", "ConfigMap", "team-a", "gone"), "DELETE", 0, "carol@company.com", ["ops"],
            "uid-2", DateTimeOffset.UtcNow));

        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [ConfigMaps] = 1 }, _ => true, CancellationToken.None,
            SyncScope.All(new Dictionary<WatchedResource, IReadOnlySet<string>?> { [ConfigMaps] = null }));
        await capture.UpsertAsync(ConfigMap("one", "1"), Rule(), CancellationToken.None);
        await capture.UpsertAsync(two, Rule(), CancellationToken.None);
        (await capture.RemoveAsync(new ObjectIdentity("", "ConfigMap", "team-a", "gone"), "12", Rule(), CancellationToken.None))
            .Should().Be(CaptureOutcome.Resync);
        await capture.ListedAsync(ConfigMaps, 1, CancellationToken.None);
        await capture.Finishing;

        pipeline.Changes.Select(change => $"{change.Description.Operation} {change.Description.Object.Name} {change.Description.Manager} {change.Description.User}")
            .Should().Equal("Create one kubectl-edit ", "Create two kubectl-create bob@company.com", "Delete gone  carol@company.com");
        pipeline.Changes[1].Description.Groups.Should().Equal("developers");
        await capture.DisposeAsync();
    }

    [Test]
    public async Task AResyncWaitingForAForbiddenKind_GoesAheadWithoutIt_AndLeavesItsFilesAlone()
    {
        var (capture, pipeline) = Create();
        capture.Start();
        var secrets = new WatchedResource("", "v1", "secrets", "Secret", true);
        pipeline.Files["namespaces/team-a/Secret/db.yaml"] = BlobId.Of("fingerprinted\n"u8.ToArray());

        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [ConfigMaps] = 1, [secrets] = 1 },
            path => path.StartsWith("namespaces/team-a/", StringComparison.Ordinal), CancellationToken.None);
        await capture.Finishing;
        await capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None);
        await capture.ListedAsync(ConfigMaps, 1, CancellationToken.None);
        await capture.Finishing;
        capture.Synced.Should().BeFalse();
        await capture.SkipAsync(secrets, CancellationToken.None);
        await capture.Finishing;

        capture.Synced.Should().BeTrue();
        pipeline.Resyncs.Should().ContainSingle().Which.Select(change => change.Path).Should().Equal("namespaces/team-a/ConfigMap/app.yaml");
        await capture.DisposeAsync();
    }

    [Test]
    public async Task ACaptureWhoseWorkerFailed_HoldsNoReflector_WhileItsSyncWaitsForTheWorker()
    {
        var failing = new TaskCompletionSource();
        var pipeline = new FakeRepoPipeline { FailsWhen = failing.Task, Failure = new IOException("the clone is damaged"), ReadsWhen = new TaskCompletionSource().Task };
        var capture = new RepoCapture(Spec(), "fingerprint", pipeline, TestSanitizer.Create(), TimeProvider.System);
        capture.Start();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [ConfigMaps] = 1 }, _ => true, CancellationToken.None);
        await capture.Finishing;

        // The last list is in: the sync reads the branch's files, which this worker never answers. Neither the
        // reflector that reports the list nor the next event waits for it.
        await capture.ListedAsync(ConfigMaps, 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        (await capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Resync,
            "the sync reads the files without holding the capture: events go on into its state");
        capture.Finishing.IsCompleted.Should().BeFalse();

        failing.SetResult();
        await capture.Finishing.WaitAsync(TimeSpan.FromSeconds(10));
        capture.Failure.Should().BeOfType<IOException>();
        (await capture.UpsertAsync(ConfigMap("app", "two"), Rule(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().Be(CaptureOutcome.Deferred, "a stopped capture answers at once");
        await capture.DisposeAsync();
    }

    [Test]
    public async Task AQueueWithNoRoom_DefersChangesAfterTheStallTimeout_AndAsksForAResyncOnceEmpty()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var room = new TaskCompletionSource();
        var pipeline = new FakeRepoPipeline { RoomWhen = room.Task, Status = new RepoWorkerStatus(null, null, 0, 5, null, Started: true) };
        var resyncRequested = 0;
        var stalled = 0;
        var capture = new RepoCapture(Spec(), "fingerprint", pipeline, TestSanitizer.Create(), time,
            stalled: () => stalled++, resyncRequested: () => resyncRequested++);
        capture.Start();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long>(), _ => true, CancellationToken.None);
        await capture.Finishing;

        var waiting = capture.UpsertAsync(ConfigMap("app", "one"), Rule(), CancellationToken.None);
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse("below the stall timeout a full queue slows the watch down, as designed");
        time.Advance(RepoCapture.StallTimeout);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(CaptureOutcome.Deferred);
        stalled.Should().Be(1);
        (await capture.UpsertAsync(ConfigMap("other", "one"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Deferred,
            "once stalled, changes are deferred at once: the reflectors it shares go on");
        capture.NeedsResync.Should().BeFalse("its queue still holds changes");
        resyncRequested.Should().Be(0);

        pipeline.Status = pipeline.Status with { QueuedChanges = 0 };
        capture.NeedsResync.Should().BeTrue();
        (await capture.UpsertAsync(ConfigMap("third", "one"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Deferred);
        resyncRequested.Should().Be(1, "the controller is asked once for the resync that writes what was deferred");

        room.SetResult();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long>(), _ => true, CancellationToken.None);
        await capture.Finishing;
        capture.NeedsResync.Should().BeFalse();
        (await capture.UpsertAsync(ConfigMap("app", "three"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Committed);
        await capture.DisposeAsync();
    }
}
