using System.Text.Json;
using GitOpsReverser.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Client;

/// <summary>The KubernetesClient library (the operator's client) against KubeSim over HTTPS with a token.</summary>
[Category("Integration")]
public sealed class KubernetesClientTests : KubernetesClientFixture
{
    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "demo" } },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    [Test]
    public async Task TypedCrud_CreateReadReplacePatchDelete()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("typed", "one"), Ns);
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();

        var read = await Client.CoreV1.ReadNamespacedConfigMapAsync("typed", Ns);
        read.Data["key"] = "two";
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "typed", Ns);
        long.Parse(replaced.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));

        var stale = () => Client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "typed", Ns);
        (await stale.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"data\":{\"extra\":\"x\"}}", V1Patch.PatchType.MergePatch), "typed", Ns);
        patched.Data.Should().Contain("key", "two").And.Contain("extra", "x");

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("typed", Ns);
        var missing = () => Client.CoreV1.ReadNamespacedConfigMapAsync("typed", Ns);
        (await missing.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Test]
    public async Task GenericCrud_OnACustomResource()
    {
        var group = $"g{Guid.NewGuid():N}"[..10] + ".example.com";
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"gadgets.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "gadgets", Singular = "gadget", Kind = "Gadget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                        },
                    },
                ],
            },
        });
        var generic = new GenericClient(Client, group, "v1", "gadgets");
        var gadget = new Dictionary<string, object>
        {
            ["apiVersion"] = $"{group}/v1",
            ["kind"] = "Gadget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "g1" },
            ["spec"] = new Dictionary<string, object> { ["size"] = 1 },
        };

        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(gadget, group, "v1", Ns, "gadgets");
        var read = (JsonElement)await Client.CustomObjects.GetNamespacedCustomObjectAsync(group, "v1", Ns, "gadgets", "g1");
        read.GetProperty("metadata").GetProperty("generation").GetInt64().Should().Be(1);

        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"size\":2}}", V1Patch.PatchType.MergePatch), group, "v1", Ns, "gadgets", "g1");
        var fromGeneric = await generic.ReadNamespacedAsync<Gadget>(Ns, "g1");
        fromGeneric.Spec.Size.Should().Be(2);
        fromGeneric.Metadata.Generation.Should().Be(2);

        fromGeneric.Spec.Size = 3;
        var replaced = await generic.ReplaceNamespacedAsync(fromGeneric, Ns, "g1");
        replaced.Metadata.Generation.Should().Be(3);
        await generic.DeleteNamespacedAsync<Gadget>(Ns, "g1");
        var list = (JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", Ns, "gadgets");
        list.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Test]
    public async Task ListPaging_ReadsOneSnapshot_AndExpiredContinueGets410()
    {
        for (var i = 0; i < 25; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i:D2}", "v"), Ns);
        }

        var first = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 10);
        first.Items.Should().HaveCount(10);
        first.Metadata.RemainingItemCount.Should().Be(15);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm-99-late", "v"), Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("cm-20", Ns);

        var names = first.Items.Select(item => item.Metadata.Name).ToList();
        var token = first.Metadata.ContinueProperty;
        while (token is not null)
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 10, continueParameter: token);
            page.Metadata.ResourceVersion.Should().Be(first.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(item => item.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        }

        names.Should().HaveCount(25).And.Contain("cm-20").And.NotContain("cm-99-late").And.BeInAscendingOrder(StringComparer.Ordinal);

        var again = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 10);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before-compaction", "v"), Ns);
        Sim.Server.Faults.Compact();
        var expired = () => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 10, continueParameter: again.Metadata.ContinueProperty);
        (await expired.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Gone);
    }

    [Test]
    public async Task Watch_WithBookmarks_ResumesFromTheListResourceVersion()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before", "v"), Ns);
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string Name, string ResourceVersion)>();
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, item) in Client.CoreV1.WatchListNamespacedConfigMapAsync(
                Ns, allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancel.Token))
            {
                lock (events)
                {
                    events.Add((type, item.Metadata.Name, item.Metadata.ResourceVersion));
                    if (events.Any(e => e.Type == WatchEventType.Deleted) && events.Any(e => e.Type == WatchEventType.Bookmark))
                    {
                        return;
                    }
                }
            }
        }, cancel.Token);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after", "v"), Ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "after", Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("after", Ns);
        await watch;

        var changes = events.Where(e => e.Type != WatchEventType.Bookmark).ToList();
        changes.Select(e => (e.Type, e.Name)).Should().Equal(
            (WatchEventType.Added, "after"), (WatchEventType.Modified, "after"), (WatchEventType.Deleted, "after"));
        changes.Select(e => long.Parse(e.ResourceVersion)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events.Should().Contain(e => e.Type == WatchEventType.Bookmark);
    }

    [Test]
    public async Task Watch_FromACompactedResourceVersion_Reports410ThroughTheErrorCallback()
    {
        var old = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old", "v"), Ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "old", Ns);
        Sim.Server.Faults.Compact();
        Exception? reported = null;
        var received = 0;

        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(
            Ns, resourceVersion: old.Metadata.ResourceVersion, onError: error => reported = error))
        {
            received++;
        }

        received.Should().Be(0);
        reported.Should().BeOfType<KubernetesException>().Which.Status.Code.Should().Be(410);
    }
}
