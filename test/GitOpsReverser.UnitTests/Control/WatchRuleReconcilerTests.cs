using System.Text.Json.Nodes;
using GitOpsReverser.Capture;
using GitOpsReverser.Control;
using GitOpsReverser.Kube;
using GitOpsReverser.Specs;
using GitOpsReverser.UnitTests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.UnitTests.Control;

/// <summary><see cref="WatchRuleReconciler"/> on rules, GitRepoConfigs and a discovery it is given: no cluster, no Git.</summary>
public sealed class WatchRuleReconcilerTests
{
    private const string OperatorNamespace = "gitops-reverser-system";

    private static readonly IReadOnlyList<DiscoveredResource> Served =
    [
        new("", "v1", "configmaps", "ConfigMap", true, ["get", "list", "watch"]),
        new("", "v1", "secrets", "Secret", true, ["get", "list", "watch"]),
        new("", "v1", "namespaces", "Namespace", false, ["get", "list", "watch"]),
        new("apps", "v1", "deployments", "Deployment", true, ["get", "list", "watch"]),
    ];

    private static readonly ResourceKey Audit = new("GitRepoConfig", "team-a", "audit");

    private RepoCapture capture = null!;

    [SetUp]
    public void CreateCapture() => capture = new RepoCapture(
        new RepoSpec(Audit, 1, "https://git.example.com/audit.git", "main", null, "", null, null, null, TimeSpan.Zero, null, null),
        "fingerprint", new FakeRepoPipeline(), TestSanitizer.Create(), TimeProvider.System);

    [TearDown]
    public async Task DisposeCapture() => await capture.DisposeAsync();

    private static JsonObject Rule(string ns, string spec, string kind = "WatchRule", string repo = "\"audit\"") =>
        JsonNode.Parse($$$"""
            {"apiVersion": "configbutler.ai/v1alpha1", "kind": "{{{kind}}}",
             "metadata": {"name": "configs", {{{(kind == "WatchRule" ? $"\"namespace\": \"{ns}\"," : "")}}} "generation": 3},
             "spec": {"gitRepoConfigRef": {{{repo}}}, {{{spec}}} }}
            """)!.AsObject();

    private static JsonObject RepoConfig(string ns, string name) =>
        JsonNode.Parse($$"""{"apiVersion": "configbutler.ai/v1alpha1", "kind": "GitRepoConfig", "metadata": {"name": "{{name}}", "namespace": "{{ns}}"} }""")!.AsObject();

    // Each rule is reconciled by its key, one at a time, as the controller's work queue does.
    private (List<ResolvedRule> Rules, List<ObjectStatus> Statuses) Reconcile(
        IReadOnlyList<JsonObject> rules, IReadOnlyList<JsonObject>? clusterRules = null, Func<WatchedResource, string?>? forbidden = null,
        IReadOnlyList<JsonObject>? repoConfigs = null, Func<ResourceKey, RepoCapture?>? captures = null, TenantAccess? access = null)
    {
        var reconciler = new WatchRuleReconciler(OperatorNamespace, NullLogger.Instance);
        var inputs = new WatchRuleReconciler.Inputs(
            repoConfigs ?? [RepoConfig("team-a", "audit")],
            captures ?? (key => key == Audit ? capture : null),
            Served,
            _ => ["team-a", "team-b"],
            forbidden ?? (_ => null))
        { Access = access ?? new TenantAccess(null, OperatorNamespace, "default") };
        var resolved = new List<ResolvedRule>();
        var statuses = new List<ObjectStatus>();
        foreach (var (kind, obj) in rules.Select(obj => (SpecReader.WatchRuleKind, obj)).Concat((clusterRules ?? []).Select(obj => (SpecReader.ClusterWatchRuleKind, obj))))
        {
            var (rule, status) = reconciler.ReconcileAsync(kind, obj, inputs, CancellationToken.None).GetAwaiter().GetResult();
            if (rule is not null)
            {
                resolved.Add(rule);
            }

            statuses.Add(status);
        }

        return (resolved, statuses);
    }

    [Test]
    public void ARule_ResolvesItsResources_AndOwnsOnlyItsOwnNamespace_WhileTheRepositoryHasNotSynced()
    {
        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "*", "kind": "ConfigMap"}, {"apiVersion": "apps/v1", "kind": "Deployment"}] """)]);

        var rule = rules.Should().ContainSingle().Which;
        rule.Resources.Select(resource => $"{resource}/{resource.Version}").Should().Equal("configmaps/v1", "deployments.apps/v1");
        rule.Owned.Contains("namespaces/team-a/ConfigMap/app.yaml").Should().BeTrue();
        rule.Owned.Contains("namespaces/team-b/ConfigMap/app.yaml").Should().BeFalse("a tenant's WatchRule captures its own namespace only");
        var status = statuses.Should().ContainSingle().Which;
        status.Key.Should().Be(new ResourceKey("WatchRule", "team-a", "configs"));
        status.Generation.Should().Be(3);
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("Syncing");
        ((GitOpsReverser.Api.V1Alpha1.RuleStatus)status.Fields).ResolvedResources.Should().Equal("configmaps/v1", "deployments.apps/v1");
    }

    [Test]
    public void ARule_ThatEncrypts_IntoARepositoryWithoutRecipients_IsNotReady_AndCapturesNothing()
    {
        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "Secret"}], "secretPolicy": "Encrypt" """)]);

        rules.Should().BeEmpty();
        var status = statuses.Should().ContainSingle().Which;
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("EncryptionNotConfigured");
        status.Message.Should().Contain("encryption.age.recipients in GitRepoConfig team-a/audit");
    }

    [Test]
    public async Task ARule_OfASyncedRepository_IsCapturing()
    {
        capture.Start();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long>(), _ => true, CancellationToken.None);
        await capture.Finishing;

        var (_, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}] """)]);

        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == true && status.Reason == "Capturing"
            && status.Message == "capturing 1 resource type(s) into GitRepoConfig team-a/audit");
    }

    [Test]
    public void AMissingGitRepoConfig_AndOneThatIsNotUsable_AreToldApart()
    {
        var (rules, statuses) = Reconcile(
            [Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}] """, repo: "\"missing\""),
             Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}] """, repo: "\"broken\"")],
            repoConfigs: [RepoConfig("team-a", "broken")]);

        rules.Should().BeEmpty();
        statuses.Select(status => (status.Ready, status.Reason)).Should().Equal((false, "GitRepoConfigNotFound"), (false, "GitRepoConfigNotReady"));
        statuses[0].Message.Should().Be("GitRepoConfig team-a/missing does not exist");
    }

    [Test]
    public void AnUnknownKind_AndAClusterScopedKindInAWatchRule_AreNamed()
    {
        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "Widget"}, {"apiVersion": "v1", "kind": "Namespace"}, {"apiVersion": "v1", "kind": "ConfigMap"}] """)]);

        rules.Single().Resources.Should().ContainSingle("the kinds it can capture are still captured");
        var status = statuses.Single();
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("UnknownKind");
        status.Message.Should().Contain("no served resource matches apiVersion v1 kind Widget")
            .And.Contain("Namespace is cluster-scoped and a WatchRule captures namespaced kinds only (use a ClusterWatchRule)");
    }

    [Test]
    public void AClusterWatchRule_CapturesClusterScopedKinds_AndEveryNamespace()
    {
        var audit = new ResourceKey("GitRepoConfig", "ops", "audit");
        var (rules, statuses) = Reconcile([],
            clusterRules: [Rule("", """ "resources": [{"apiVersion": "v1", "kind": "Namespace"}, {"apiVersion": "v1", "kind": "ConfigMap"}] """,
                kind: "ClusterWatchRule", repo: """{"name": "audit", "namespace": "ops"}""")],
            repoConfigs: [RepoConfig("ops", "audit")],
            captures: key => key == audit ? capture : null);

        statuses.Single().Reason.Should().Be("Syncing");
        var owned = rules.Single().Owned;
        owned.Contains("cluster-scoped/Namespace/team-a.yaml").Should().BeTrue();
        owned.Contains("namespaces/anything/ConfigMap/app.yaml").Should().BeTrue();
    }

    [Test]
    public void AForbiddenResource_IsReportedInTheApiServersWords_WithWhatToGrant()
    {
        var (_, statuses) = Reconcile(
            [Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "Secret"}] """)],
            forbidden: resource => resource.Plural == "secrets" ? "secrets is forbidden: User \"system:serviceaccount:ops:gitops-reverser\" cannot list resource \"secrets\"" : null);

        var status = statuses.Single();
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("Forbidden");
        status.Message.Should().Contain("cannot list resource \"secrets\"").And.Contain("grant it in the operator's ClusterRole");
    }

    [Test]
    public void ARuleInTheOperatorsNamespace_WithANamespaceSelector_OwnsTheSelectedNamespaces()
    {
        var inOperatorNamespace = new ResourceKey("GitRepoConfig", OperatorNamespace, "audit");
        var (rules, _) = Reconcile(
            [Rule(OperatorNamespace, """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}], "namespaceSelector": {"matchLabels": {"capture": "yes"}} """)],
            repoConfigs: [RepoConfig(OperatorNamespace, "audit")],
            captures: key => key == inOperatorNamespace ? capture : null);

        var owned = rules.Single().Owned;
        owned.Contains("namespaces/team-a/ConfigMap/app.yaml").Should().BeTrue();
        owned.Contains("namespaces/team-b/ConfigMap/app.yaml").Should().BeTrue();
        owned.Contains("namespaces/team-c/ConfigMap/app.yaml").Should().BeFalse("team-c is not among the selected namespaces");
    }

    private static TenantAccess Access(TestRbac rbac) => new(rbac, OperatorNamespace, "default");

    [Test]
    public void ATenantsRule_CapturesOnlyWhatItsRepositorysIdentityMayRead_AndANamedKindItMayNotRead_IsAccessDenied()
    {
        var rbac = new TestRbac().Allow("team-a/default", "list", "configmaps", "team-a").Allow("team-a/default", "watch", "configmaps", "team-a");

        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}, {"apiVersion": "v1", "kind": "Secret"}] """)],
            access: Access(rbac));

        rules.Single().Resources.Select(resource => resource.Plural).Should().Equal(["configmaps"], "Secrets are not read for an identity that may not read them");
        rules.Single().Owned.Contains("namespaces/team-a/Secret/db.yaml").Should().BeFalse("files of a kind not captured stay as they are");
        var status = statuses.Single();
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("AccessDenied");
        status.Message.Should().Be("secrets: service account team-a/default may not list secrets in namespace team-a " +
            "(grant it with a Role and RoleBinding, or set the GitRepoConfig's spec.serviceAccountName to an account that has it)");
        rbac.Asked.Should().OnlyContain(request => request.Namespace == "team-a" && request.ServiceAccount == "default");
    }

    [Test]
    public async Task ATenantsWildcard_LeavesOutWhatItsIdentityMayNotRead_AndSaysSo()
    {
        capture.Start();
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long>(), _ => true, CancellationToken.None);
        await capture.Finishing;
        var rbac = new TestRbac();
        foreach (var resource in new[] { "configmaps", "deployments.apps" })
        {
            rbac.Allow("team-a/default", "list", resource).Allow("team-a/default", "watch", resource);
        }

        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "*", "kind": "*"}] """)], access: Access(rbac));

        rules.Single().Resources.Select(resource => resource.Plural).Should().Equal("configmaps", "deployments");
        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == true && status.Reason == "Capturing"
            && status.Message == "capturing 2 resource type(s) into GitRepoConfig team-a/audit; left out of the wildcard, as team-a/default may not read them: secrets");
    }

    [Test]
    public async Task ATenantsRepository_ActsAsItsServiceAccountName()
    {
        await capture.DisposeAsync();
        capture = new RepoCapture(
            new RepoSpec(Audit, 1, "https://git.example.com/audit.git", "main", null, "", null, null, null, TimeSpan.Zero, null, null) { ServiceAccountName = "auditor" },
            "fingerprint", new FakeRepoPipeline(), TestSanitizer.Create(), TimeProvider.System);
        var rbac = new TestRbac().Allow("team-a/auditor", "list", "secrets", "team-a").Allow("team-a/auditor", "watch", "secrets", "team-a");

        var (rules, statuses) = Reconcile([Rule("team-a", """ "resources": [{"apiVersion": "v1", "kind": "Secret"}] """)], access: Access(rbac));

        rules.Single().Resources.Should().ContainSingle();
        statuses.Single().Reason.Should().Be("Syncing");
    }

    [Test]
    public void AClusterWatchRule_IntoATenantsRepository_IsCheckedInEveryNamespaceItCovers()
    {
        var rbac = new TestRbac().Allow("team-a/default", "list", "configmaps", "team-a").Allow("team-a/default", "watch", "configmaps", "team-a");

        var (everywhere, _) = Reconcile([], clusterRules: [Rule("", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}] """, kind: "ClusterWatchRule",
            repo: """{"name": "audit", "namespace": "team-a"}""")], access: Access(rbac));
        var (selected, statuses) = Reconcile([], clusterRules: [Rule("", """ "resources": [{"apiVersion": "v1", "kind": "ConfigMap"}], "namespaceSelector": {"matchLabels": {"x": "y"}} """,
            kind: "ClusterWatchRule", repo: """{"name": "audit", "namespace": "team-a"}""")], access: Access(rbac));

        everywhere.Single().Resources.Should().BeEmpty("team-a's identity may not list ConfigMaps in every namespace");
        selected.Single().Resources.Should().BeEmpty("the rule selects team-a and team-b, and team-b's ConfigMaps are not team-a's to read");
        statuses.Single().Message.Should().Contain("may not list configmaps in namespace team-b");
    }

    [Test]
    public void ARuleIntoARepositoryOfTheOperatorsNamespace_IsNotChecked()
    {
        var inOperatorNamespace = new ResourceKey("GitRepoConfig", OperatorNamespace, "audit");
        var rbac = new TestRbac();
        using var admin = new RepoCaptureScope(new RepoSpec(inOperatorNamespace, 1, "https://git.example.com/audit.git", "main", null, "", null, null, null, TimeSpan.Zero, null, null));

        var (rules, _) = Reconcile([Rule(OperatorNamespace, """ "resources": [{"apiVersion": "v1", "kind": "Secret"}] """)],
            repoConfigs: [RepoConfig(OperatorNamespace, "audit")], captures: key => key == inOperatorNamespace ? admin.Capture : null, access: Access(rbac));

        rules.Single().Resources.Should().ContainSingle();
        rbac.Asked.Should().BeEmpty("the operator's namespace is the administrators'");
    }

    /// <summary>A capture of a fake pipeline, disposed with the scope.</summary>
    private sealed class RepoCaptureScope(RepoSpec spec) : IDisposable
    {
        public RepoCapture Capture { get; } = new(spec, "fingerprint", new FakeRepoPipeline(), TestSanitizer.Create(), TimeProvider.System);

        public void Dispose() => Capture.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
