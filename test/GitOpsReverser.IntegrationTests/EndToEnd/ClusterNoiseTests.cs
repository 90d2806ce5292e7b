using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// What a cluster makes for itself stays out of Git by default: a namespace filled the way a real
/// cluster and Helm fill it yields no file under a <c>*</c> rule while a hand-made ConfigMap beside it
/// does, bootstrap RBAC stays out of a ClusterWatchRule, and a rule's <c>include</c> captures them anyway.
/// </summary>
[Category("Integration")]
public sealed class ClusterNoiseTests
{
    // What kube-controller-manager (root CA publisher, service-account and token controllers) and a
    // `helm install` leave in a namespace, as a 1.34 cluster writes them.
    private const string WhatTheClusterMakes = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kube-root-ca.crt
          namespace: shop
          annotations: {kubernetes.io/description: "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}
        data: {ca.crt: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: default, namespace: shop}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: build-robot-token
          namespace: shop
          annotations: {kubernetes.io/service-account.name: default}
        type: kubernetes.io/service-account-token
        data: {token: ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk=}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: sh.helm.release.v1.shop.v1
          namespace: shop
          labels: {name: shop, owner: helm, status: deployed, version: "1"}
        type: helm.sh/release.v1
        data: {release: SDRzSUFBQUFBQUFDLysxWTMyL2JOaEQ=}
        """;

    private const string Rules = OperatorTestbed.WildcardRule + """

        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: ClusterWatchRule
        metadata: {name: cluster-roles}
        spec:
          gitRepoConfigRef: {name: audit, namespace: gitops-reverser-system}
          resources: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}]
        """;

    [Test]
    public async Task WhatTheClusterMakes_StaysOut_WhatPeopleMake_IsCaptured_AndIncludeCapturesTheRest()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(WhatTheClusterMakes)).ShouldSucceed();
        (await bed.KubectlAsync("create configmap app-settings -n shop --from-literal=mode=fast")).ShouldSucceed();
        (await bed.KubectlAsync("create clusterrole team-reader --verb=get --resource=configmaps")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync(Rules)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "everything", "True");
        await bed.WaitForReadyAsync("clusterwatchrule", null, "cluster-roles", "True");
        await bed.CommitsAsync(2);

        var captured = await FilesOnceSettledAsync(bed);
        captured.Should().BeEquivalentTo(
            "namespaces/shop/ConfigMap/app-settings.yaml", "cluster-scoped/ClusterRole/team-reader.yaml");

        // Each switch lets its category through: the rules change, one resync commit adds the files.
        (await bed.ApplyAsync(Rules
            .Replace("  namespaceSelector:", "  include: [clusterDefaults, helmReleases, serviceAccountTokens]\n  namespaceSelector:", StringComparison.Ordinal)
            .Replace("kind: ClusterRole}]", "kind: ClusterRole}]\n  include: [bootstrapRbac]", StringComparison.Ordinal))).ShouldSucceed();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Captured(bed).Count < 16 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Captured(bed).Should().BeEquivalentTo(
            "namespaces/shop/ConfigMap/app-settings.yaml",
            "namespaces/shop/ConfigMap/kube-root-ca.crt.yaml",
            "namespaces/shop/ServiceAccount/default.yaml",
            "namespaces/shop/Secret/build-robot-token.yaml",
            "namespaces/shop/Secret/sh.helm.release.v1.shop.v1.yaml",
            "cluster-scoped/ClusterRole/team-reader.yaml",
            "cluster-scoped/ClusterRole/admin.yaml",
            "cluster-scoped/ClusterRole/edit.yaml",
            "cluster-scoped/ClusterRole/view.yaml",
            "cluster-scoped/ClusterRole/cluster-admin.yaml",
            "cluster-scoped/ClusterRole/system%3Aaggregate-to-admin.yaml",
            "cluster-scoped/ClusterRole/system%3Aaggregate-to-edit.yaml",
            "cluster-scoped/ClusterRole/system%3Aaggregate-to-view.yaml",
            "cluster-scoped/ClusterRole/system%3Abasic-user.yaml",
            "cluster-scoped/ClusterRole/system%3Adiscovery.yaml",
            "cluster-scoped/ClusterRole/system%3Apublic-info-viewer.yaml");
    }

    // The files the operator wrote (the seed's README and other team's folder left out).
    private static List<string> Captured(OperatorTestbed bed) =>
        [.. bed.Files().Where(file => file.StartsWith("namespaces/", StringComparison.Ordinal) || file.StartsWith("cluster-scoped/", StringComparison.Ordinal))];

    private static async Task<List<string>> FilesOnceSettledAsync(OperatorTestbed bed)
    {
        // Nothing more arrives once the first resync is pushed; give a late push its chance.
        await Task.Delay(1500);
        return Captured(bed);
    }
}
