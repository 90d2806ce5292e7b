using GitOpsReverser.Capture;
using GitOpsReverser.Kube;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

using NoiseCategory = GitOpsReverser.Api.V1Alpha1.NoiseCategory;

namespace GitOpsReverser.UnitTests.Capture;

/// <summary>What a rule that covers an object's namespace leaves out, and why: the operator and preview decide here.</summary>
public sealed class CaptureFilterTests
{
    private static readonly WatchedResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    private static readonly WatchedResource Secrets = new("", "v1", "secrets", "Secret", true);
    private static readonly WatchedResource ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true);
    private static readonly WatchedResource Services = new("", "v1", "services", "Service", true);
    private static readonly WatchedResource ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false);
    private static readonly WatchedResource Namespaces = new("", "v1", "namespaces", "Namespace", false);
    private static readonly WatchedResource FlowSchemas = new("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "FlowSchema", false);

    private static CaptureRule Rule(params NoiseCategory[] include) =>
        new(new ResourceKey("WatchRule", "ops", "r"), 1, new ResourceKey("GitRepoConfig", "ops", "audit"), [new RuleResource("*", "*")], null, null,
            LabelMatcher.From(null, "excludeLabels"), CaptureOperations.All, SecretPolicy.Fingerprint, new HashSet<string>(), false, true)
        {
            Include = include.ToHashSet(),
        };

    private static readonly Dictionary<string, WatchedResource> Resources = new[] { ConfigMaps, Secrets, ServiceAccounts, Services, ClusterRoles, FlowSchemas, Namespaces }
        .ToDictionary(resource => resource.Kind);

    public static IEnumerable<TestCaseData> Noise()
    {
        yield return new TestCaseData("ConfigMap", "metadata: {name: kube-root-ca.crt, namespace: shop}", "clusterDefaults");
        yield return new TestCaseData("ServiceAccount", "metadata: {name: default, namespace: shop}", "clusterDefaults");
        yield return new TestCaseData("Service", "metadata: {name: kubernetes, namespace: default}", "clusterDefaults");
        yield return new TestCaseData("ConfigMap", "metadata: {name: extension-apiserver-authentication, namespace: kube-system}", "clusterDefaults");
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            yield return new TestCaseData("Namespace", $"metadata: {{name: {ns}, managedFields: [{{manager: kube-apiserver, operation: Update}}]}}", "clusterDefaults");
        }

        yield return new TestCaseData("ClusterRole", "metadata: {name: admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}", "bootstrapRbac");
        yield return new TestCaseData("ClusterRole", "metadata: {name: edit, annotations: {rbac.authorization.kubernetes.io/autoupdate: \"true\"}}", "bootstrapRbac");
        yield return new TestCaseData("FlowSchema", "metadata: {name: exempt, annotations: {apf.kubernetes.io/autoupdate-spec: \"true\"}}", "flowControlDefaults");
        yield return new TestCaseData("Secret", "metadata: {name: sh.helm.release.v1.web.v3, namespace: shop}\ntype: helm.sh/release.v1", "helmReleases");
        yield return new TestCaseData("ConfigMap", "metadata: {name: sh.helm.release.v1.web.v3, namespace: shop, labels: {owner: helm}}", "helmReleases");
        yield return new TestCaseData("Secret", "metadata: {name: robot-token, namespace: shop}\ntype: kubernetes.io/service-account-token", "serviceAccountTokens");
    }

    [TestCaseSource(nameof(Noise))]
    public void WhatTheClusterMakes_IsLeftOut_UnlessIncluded(string kind, string yaml, string switchName)
    {
        var resource = Resources[kind];
        var obj = Manifest.Yaml(yaml);
        NoiseCategories.TryParse(switchName, out var category).Should().BeTrue();

        ClusterNoise.Classify(resource, obj).Should().Be(category);
        CaptureFilter.LeftOutBecause(Rule(), false, resource, obj).Should().Contain($"include: [{switchName}] captures it");
        CaptureFilter.LeftOutBecause(Rule(category), false, resource, obj).Should().BeNull();
    }

    [TestCase("metadata: {name: kube-root-ca.crt.backup, namespace: shop}")]
    [TestCase("metadata: {name: app-settings, namespace: shop}")]
    [TestCase("metadata: {name: extension-apiserver-authentication, namespace: shop}")]
    public void ConfigMapsPeopleMake_AreCaptured(string yaml) =>
        CaptureFilter.LeftOutBecause(Rule(), false, ConfigMaps, Manifest.Yaml(yaml)).Should().BeNull();

    [TestCase("metadata: {name: default, managedFields: [{manager: kube-apiserver, operation: Update}, {manager: kubectl-label, operation: Update}]}")]
    [TestCase("metadata: {name: default}")]
    [TestCase("metadata: {name: shop, managedFields: [{manager: kube-apiserver, operation: Update}]}")]
    public void ANamespaceSomeoneWroteOrMade_IsCaptured(string yaml) =>
        CaptureFilter.LeftOutBecause(Rule(), false, Namespaces, Manifest.Yaml(yaml)).Should().BeNull();

    [Test]
    public void OwnedObjects_AreLeftOutThroughAWildcardOnly_AndExcludeLabelsAlways()
    {
        var owned = Manifest.Yaml("metadata: {name: x, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: r, uid: u, controller: true}]}");
        var labelled = Manifest.Yaml("metadata: {name: y, namespace: shop, labels: {skip: \"true\"}}");
        var rule = Rule() with { ExcludeLabels = LabelMatcher.From(new() { MatchLabels = new() { ["skip"] = "true" } }, "excludeLabels") };

        CaptureFilter.LeftOutBecause(rule, true, ConfigMaps, owned).Should().StartWith("a controller owns it");
        CaptureFilter.LeftOutBecause(rule, false, ConfigMaps, owned).Should().BeNull("a kind named in the rule captures owned objects");
        CaptureFilter.LeftOutBecause(rule with { IncludeOwned = true }, true, ConfigMaps, owned).Should().BeNull();
        CaptureFilter.LeftOutBecause(rule, false, ConfigMaps, labelled).Should().Be("its labels match excludeLabels");
    }

    [Test]
    public void AnObjectSelector_CapturesOnlyTheObjectsItMatches()
    {
        var selecting = Rule() with { ObjectSelector = LabelMatcher.From(new() { MatchLabels = new() { ["audit"] = "on" } }, "objectSelector") };

        CaptureFilter.LeftOutBecause(selecting, false, ConfigMaps, Manifest.Yaml("metadata: {name: a, namespace: shop, labels: {audit: \"on\"}}")).Should().BeNull();
        CaptureFilter.LeftOutBecause(selecting, false, ConfigMaps, Manifest.Yaml("metadata: {name: b, namespace: shop, labels: {audit: \"off\"}}"))
            .Should().Be("its labels do not match objectSelector");
        CaptureFilter.LeftOutBecause(selecting, false, ConfigMaps, Manifest.Yaml("metadata: {name: c, namespace: shop}")).Should().Be("its labels do not match objectSelector");
        CaptureFilter.LeftOutBecause(Rule(), false, ConfigMaps, Manifest.Yaml("metadata: {name: c, namespace: shop}")).Should().BeNull("no objectSelector: every object");
    }
}
