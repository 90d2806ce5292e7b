using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Storage;

/// <summary>Watch semantics over HTTP, event by event.</summary>
[Category("Integration")]
public sealed class WatchTests : KubeSimTestBase
{
    [Test]
    public async Task ResourceVersionUnset_StartsWithAddedForCurrentObjects_ThenChanges()
    {
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "existing"));
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true");

        var first = await watch.NextAsync();
        ((string?)first!["type"]).Should().Be("ADDED");
        ((string?)first["object"]!["metadata"]!["name"]).Should().Be("existing");
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "later"));
        ((string?)(await watch.NextAsync())!["object"]!["metadata"]!["name"]).Should().Be("later");
    }

    [Test]
    public async Task FromResourceVersion_ReplaysOnlyLaterChanges_AndDeletedCarriesTheFinalStateWithANewVersion()
    {
        var before = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "a", new() { ["k"] = "1" }));
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/a", JsonNode.Parse("{\"data\":{\"k\":\"2\"}}"), "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Delete, $"{ConfigMaps}/a");

        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&resourceVersion={Rv(before)}");

        var modified = (await watch.NextAsync())!;
        ((string?)modified["type"]).Should().Be("MODIFIED");
        var deleted = (await watch.NextAsync())!;
        ((string?)deleted["type"]).Should().Be("DELETED");
        ((string?)deleted["object"]!["data"]!["k"]).Should().Be("2");
        Rv(deleted["object"]!.AsObject()).Should().BeGreaterThan(Rv(modified["object"]!.AsObject()));
    }

    [Test]
    public async Task TooOldResourceVersion_Gets200WithOne410ErrorEvent_ThenTheStreamEnds()
    {
        var old = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "old"));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "newer"));
        Sim.Server.Faults.Compact();

        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&resourceVersion={Rv(old)}");

        watch.StatusCode.Should().Be(200);
        var error = (await watch.NextAsync())!;
        ((string?)error["type"]).Should().Be("ERROR");
        ((int?)error["object"]!["code"]).Should().Be(410);
        ((string?)error["object"]!["reason"]).Should().Be("Expired");
        (await watch.NextAsync()).Should().BeNull();
    }

    [Test]
    public async Task Bookmarks_CarryTheCurrentResourceVersionAndTheKind()
    {
        var created = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "b"));
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&allowWatchBookmarks=true&resourceVersion={Rv(created)}");

        var bookmark = (await watch.NextAsync(5))!;

        ((string?)bookmark["type"]).Should().Be("BOOKMARK");
        ((string?)bookmark["object"]!["kind"]).Should().Be("ConfigMap");
        Rv(bookmark["object"]!.AsObject()).Should().BeGreaterThanOrEqualTo(Rv(created));
    }

    [Test]
    public async Task SendInitialEvents_EndsTheInitialObjectsWithAnAnnotatedBookmark()
    {
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "one"));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "two"));

        using var watch = await Http.WatchAsync(
            $"{ConfigMaps}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");

        ((string?)(await watch.NextAsync())!["type"]).Should().Be("ADDED");
        ((string?)(await watch.NextAsync())!["type"]).Should().Be("ADDED");
        var end = (await watch.NextAsync())!;
        ((string?)end["type"]).Should().Be("BOOKMARK");
        ((string?)end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]).Should().Be("true");

        var (code, body, _) = await Http.SendAsync(HttpMethod.Get, $"{ConfigMaps}?watch=true&sendInitialEvents=true");
        code.Should().Be(422, body.ToJsonString());
    }

    [Test]
    public async Task LabelSelector_ObjectsMovingInAndOutArriveAsAddedAndDeleted()
    {
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&labelSelector=audit%3Denabled");
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "outside"));
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/outside",
            JsonNode.Parse("{\"metadata\":{\"labels\":{\"audit\":\"enabled\"}}}"), "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/outside",
            JsonNode.Parse("{\"data\":{\"k\":\"v\"}}"), "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/outside",
            JsonNode.Parse("{\"metadata\":{\"labels\":{\"audit\":null}}}"), "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Delete, $"{ConfigMaps}/outside");
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "marker", labels: new() { ["audit"] = "enabled" }));

        var types = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var next = (await watch.NextAsync())!;
            types.Add($"{(string?)next["type"]} {(string?)next["object"]!["metadata"]!["name"]}");
        }

        types.Should().Equal("ADDED outside", "MODIFIED outside", "DELETED outside", "ADDED marker");
    }

    [Test]
    public async Task TimeoutSeconds_EndsTheStreamCleanly()
    {
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&timeoutSeconds=1&resourceVersion={Sim.Server.Store.ResourceVersion}");

        (await watch.NextAsync(10)).Should().BeNull();
    }

    [Test]
    public async Task NoOpWrite_BumpsNothingAndEmitsNothing()
    {
        var created = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "same", new() { ["k"] = "v" }));
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&resourceVersion={Rv(created)}");

        var (code, body, _) = await Http.SendAsync(HttpMethod.Put, $"{ConfigMaps}/same", created);
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/same", JsonNode.Parse("{\"data\":{\"k\":\"v\"}}"), "application/merge-patch+json");
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "marker"));

        code.Should().Be(200);
        Rv(body).Should().Be(Rv(created));
        var next = (await watch.NextAsync())!;
        ((string?)next["type"] + " " + (string?)next["object"]!["metadata"]!["name"]).Should().Be("ADDED marker");
    }

    [Test]
    public async Task WatchByName_SeesOnlyThatObject()
    {
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "mine"));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "other"));

        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&fieldSelector=metadata.name%3Dmine");

        ((string?)(await watch.NextAsync())!["object"]!["metadata"]!["name"]).Should().Be("mine");
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/other", JsonNode.Parse("{\"data\":{\"k\":\"1\"}}"), "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/mine", JsonNode.Parse("{\"data\":{\"k\":\"1\"}}"), "application/merge-patch+json");
        ((string?)(await watch.NextAsync())!["object"]!["metadata"]!["name"]).Should().Be("mine");
    }
}
