using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Tests.Storage;

public sealed class ObjectStoreTests
{
    private static JsonObject Object(string ns, string name, string value = "v") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = value },
    };

    [Test]
    public void Pages_ReadTheSnapshotOfTheFirstPage_WhateverHappensBetween()
    {
        var store = new ObjectStore(historyLimit: 1000);
        for (var i = 0; i < 10; i++)
        {
            store.Put("configmaps", Object("a", $"o{i}"));
        }

        var first = store.List("configmaps", ObjectFilter.All, null, null, 4);
        store.Delete("configmaps", "a/o5");
        store.Put("configmaps", Object("a", "o6", "changed"));
        store.Put("configmaps", Object("a", "o55"));
        var rest = new List<StoredObject>();
        var page = first;
        while (page.LastKey is not null)
        {
            page = store.List("configmaps", ObjectFilter.All, first.ResourceVersion, page.LastKey, 4);
            rest.AddRange(page.Items);
        }

        first.Remaining.Should().Be(6);
        first.Items.Concat(rest).Select(item => item.Name).Should().Equal("o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9");
        ((string?)rest.Single(item => item.Name == "o6").ToJsonObject()["data"]!["k"]).Should().Be("v");
    }

    [Test]
    public void NamespaceFilter_ListsOnlyThatNamespace()
    {
        var store = new ObjectStore(1000);
        store.Put("configmaps", Object("a", "x"));
        store.Put("configmaps", Object("ab", "y"));
        store.Put("configmaps", Object("b", "z"));

        store.List("configmaps", new ObjectFilter("a", null, null), null, null, 0).Items.Select(item => item.Key).Should().Equal("a/x");
    }

    [Test]
    public void History_KeepsItsLimit_AndOlderWatchesGet410()
    {
        var store = new ObjectStore(historyLimit: 8);
        var first = store.Put("configmaps", Object("a", "x", "0"));
        for (var i = 1; i < 20; i++)
        {
            store.Put("configmaps", Object("a", "x", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var watcher = store.Watch("configmaps", ObjectFilter.All, first.ResourceVersion, initialEvents: false, bookmarks: false);

        watcher.Reader.TryRead(out var item).Should().BeTrue();
        item.Should().BeOfType<WatchItem.Error>().Which.Status["code"]!.GetValue<int>().Should().Be(410);
        var recent = store.Watch("configmaps", ObjectFilter.All, store.ResourceVersion - 3, initialEvents: false, bookmarks: false);
        recent.Reader.Count.Should().Be(3);
    }

    [Test]
    public void ListItems_OfBuiltInKinds_CanDropKindAndApiVersionByOffset()
    {
        var stored = StoredObject.Create("configmaps", Object("a", "x"), 7);

        var fields = System.Text.Encoding.UTF8.GetString(stored.FieldsAfterTypeMeta());

        System.Text.Encoding.UTF8.GetString(stored.Json).Should().StartWith("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\"");
        JsonNode.Parse("{" + fields)!.AsObject().Select(pair => pair.Key).Should().Equal("metadata", "data");
    }

    [Test]
    public void ContinueToken_RoundTrips_AndGarbageIsABadRequest()
    {
        var token = ContinueToken.Encode(42, "ns/name");

        ContinueToken.Decode(token).Should().Be((42L, "ns/name"));
        var garbage = () => ContinueToken.Decode("not-a-token");
        garbage.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }
}
