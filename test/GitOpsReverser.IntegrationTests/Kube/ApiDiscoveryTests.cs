using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;
using GitOpsReverser.Kube;
using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.IntegrationTests.Kube;

/// <summary>Discovery and wildcard resolution against KubeSim, including a CRD installed after the first look.</summary>
[Category("Integration")]
public sealed class ApiDiscoveryTests
{
    private KubeSimServer sim = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sim = await KubeSimServer.StartAsync(new KubeSimOptions());
        http = KubeSimHttp.For(sim);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await sim.DisposeAsync();
    }

    [Test]
    public async Task Discover_ListsGroupsVersionsScopesAndNoSubresources()
    {
        var discovered = await new ApiDiscovery(http).DiscoverAsync(CancellationToken.None);

        discovered.Should().ContainSingle(r => r.Plural == "configmaps").Which.Should().Match<DiscoveredResource>(r => r.Namespaced && r.ApiVersion == "v1");
        discovered.Should().ContainSingle(r => r.Plural == "namespaces").Which.Namespaced.Should().BeFalse();
        discovered.Should().ContainSingle(r => r.Plural == "deployments").Which.ApiVersion.Should().Be("apps/v1");
        discovered.Should().NotContain(r => r.Plural.Contains('/'));
        discovered.Should().Contain(r => r.Kind == "SelfSubjectAccessReview" && !r.Watchable, "an API server announces create-only kinds too");
        ResourceSelection.Resolve(discovered, "*", "*").Should().OnlyContain(r => r.Watchable);
    }

    [Test]
    public async Task Wildcards_LeaveOutNoisyKindsUnlessNamed_AndPickUpCrdsInstalledLater()
    {
        var discovery = new ApiDiscovery(http);
        var before = await discovery.DiscoverAsync(CancellationToken.None);

        var all = ResourceSelection.Resolve(before, "*", "*").Select(r => r.Kind).ToList();
        all.Should().Contain(["ConfigMap", "Secret", "Deployment", "Namespace", "ClusterRole"]);
        all.Should().NotContain(["Pod", "Event", "ReplicaSet", "Lease"]);
        ResourceSelection.Resolve(before, "v1", "Pod").Should().ContainSingle();
        ResourceSelection.Resolve(before, "apps/v1", "*").Select(r => r.Kind).Should().BeEquivalentTo("Deployment", "StatefulSet", "DaemonSet");
        ResourceSelection.Resolve(before, "*", "configmap").Should().ContainSingle("kinds match case-insensitively");

        var group = $"g{Guid.NewGuid():N}"[..10] + ".example.com";
        using var request = new HttpRequestMessage(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        {
            Content = new StringContent(JsonNode.Parse("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.GROUP"},
                 "spec":{"group":"GROUP","scope":"Namespaced","names":{"plural":"gadgets","kind":"Gadget"},
                         "versions":[{"name":"v1","served":true,"storage":true,
                           "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """.Replace("GROUP", group, StringComparison.Ordinal))!.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        (await http.SendAsync(request)).EnsureSuccessStatusCode();

        var after = await discovery.DiscoverAsync(CancellationToken.None);
        ResourceSelection.Resolve(after, "*", "*").Should().Contain(r => r.Kind == "Gadget" && r.Group == group);
        ResourceSelection.Resolve(before, "*", "*").Should().NotContain(r => r.Kind == "Gadget" && r.Group == group);
    }

    [Test]
    public async Task KindsServedInDifferentVersions_AreEachWatchedOnce_AndANamedVersionIsWatchedAsNamed()
    {
        // As monitoring.coreos.com: kinds only in v1, only in v1beta1, only in v1alpha1, and one in two versions.
        var group = $"g{Guid.NewGuid():N}"[..10] + ".example.com";
        foreach (var (plural, kind, versions) in new[]
        {
            ("doohickeys", "Doohickey", new[] { "v1alpha1" }), ("gadgets", "Gadget", ["v1"]), ("gizmos", "Gizmo", ["v1beta1"]),
            ("widgets", "Widget", ["v1beta1", "v1"]),
        })
        {
            var crd = new JsonObject
            {
                ["apiVersion"] = "apiextensions.k8s.io/v1",
                ["kind"] = "CustomResourceDefinition",
                ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
                ["spec"] = new JsonObject
                {
                    ["group"] = group,
                    ["scope"] = "Namespaced",
                    ["names"] = new JsonObject { ["plural"] = plural, ["kind"] = kind },
                    ["versions"] = new JsonArray([.. versions.Select((version, index) => (JsonNode)new JsonObject
                    {
                        ["name"] = version, ["served"] = true, ["storage"] = index == 0,
                        ["schema"] = JsonNode.Parse("""{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}"""),
                    })]),
                },
            };
            using var response = await http.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                new StringContent(crd.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        var discovered = await new ApiDiscovery(http).DiscoverAsync(CancellationToken.None);

        ResourceSelection.Resolve(discovered, "*", "*").Where(r => r.Group == group).Select(r => $"{r.Kind} {r.Version}")
            .Should().BeEquivalentTo("Doohickey v1alpha1", "Gadget v1", "Gizmo v1beta1", "Widget v1");
        ResourceSelection.Resolve(discovered, $"{group}/v1beta1", "Widget").Should().ContainSingle().Which.Version.Should().Be("v1beta1");
        ResourceSelection.Resolve(discovered, $"{group}/v1beta1", "*").Select(r => r.Kind).Should().BeEquivalentTo("Gizmo", "Widget");
        ResourceSelection.Resolve(discovered, $"{group}/v1", "Gizmo").Should().BeEmpty("Gizmo is served in v1beta1 only");
    }
}
