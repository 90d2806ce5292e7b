using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Patching;

namespace GitOpsReverser.KubeSim.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly ResourceType ConfigMaps = BuiltInTypes.All.Single(type => type.Plural == "configmaps");

    private static JsonObject Config(string data) =>
        JsonNode.Parse($$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{{data}}}""")!.AsObject();

    private static JsonObject Apply(JsonObject? current, JsonObject config, string manager, bool force = false) =>
        ServerSideApply.Apply(ConfigMaps, "c", current, config, manager, force, null, "2026-01-01T00:00:00Z");

    private static List<string> Owned(JsonObject obj, string manager) =>
        [.. ManagedFields.Read(obj).Single(entry => entry.Manager == manager).Fields.Select(FieldPath.Render).Order()];

    [Test]
    public void Apply_OwnsExactlyItsFields_AndRemovesFieldsItStopsApplying()
    {
        var first = Apply(null, Config("""{"a":"1","b":"2"}"""), "tool");
        Owned(first, "tool").Should().Equal(".data.a", ".data.b");

        var second = Apply(first, Config("""{"a":"1"}"""), "tool");

        second["data"]!.AsObject().Select(pair => pair.Key).Should().Equal("a");
        Owned(second, "tool").Should().Equal(".data.a");
    }

    [Test]
    public void SameValue_IsSharedOwnership_DifferentValueConflicts_ForceTakesOver()
    {
        var first = Apply(null, Config("""{"a":"1"}"""), "one");
        var shared = Apply(first, Config("""{"a":"1"}"""), "two");
        Owned(shared, "one").Should().Equal(".data.a");
        Owned(shared, "two").Should().Equal(".data.a");

        var conflict = () => Apply(shared, Config("""{"a":"2"}"""), "two");
        var error = conflict.Should().Throw<ApiException>().Which;
        error.Code.Should().Be(409);
        error.Message.Should().Be("Apply failed with 1 conflict: conflict with \"one\" using v1: .data.a");

        var forced = Apply(shared, Config("""{"a":"2"}"""), "two", force: true);
        ((string?)forced["data"]!["a"]).Should().Be("2");
        ManagedFields.Read(forced).Select(entry => entry.Manager).Should().Equal("two");
    }

    [Test]
    public void FieldOwnedByAnotherManager_IsKeptWhenTheApplierDropsIt()
    {
        var first = Apply(null, Config("""{"a":"1"}"""), "one");
        var second = Apply(first, Config("""{"a":"1"}"""), "two");

        var dropped = Apply(second, Config("{}"), "two");

        ((string?)dropped["data"]!["a"]).Should().Be("1");
    }

    [Test]
    public void UpdateTakesOverTheFieldsItChanges()
    {
        var applied = Apply(null, Config("""{"a":"1","b":"2"}"""), "tool");
        var updated = applied.DeepClone().AsObject();
        updated["data"]!["a"] = "changed";

        ManagedFields.RecordUpdate(applied, updated, "kubectl-edit", "v1", null, "2026-01-01T00:00:01Z");

        Owned(updated, "tool").Should().Equal(".data.b");
        Owned(updated, "kubectl-edit").Should().Equal(".data.a");
        var edit = ManagedFields.Read(updated).Single(entry => entry.Manager == "kubectl-edit");
        edit.Operation.Should().Be("Update");
        edit.Time.Should().Be("2026-01-01T00:00:01Z");
    }

    [Test]
    public void FieldPaths_UseMergeKeysForContainers()
    {
        var pod = JsonNode.Parse("""{"spec":{"containers":[{"name":"app","image":"a"}],"tolerations":[{"key":"k"}]}}""")!.AsObject();

        var leaves = FieldPath.Leaves(pod, _ => true).Select(FieldPath.Render).Order().ToList();

        leaves.Should().Equal(".spec.containers[name=\"app\"].image", ".spec.containers[name=\"app\"].name", ".spec.tolerations");
        var fields = FieldPath.ToFieldsV1(FieldPath.Leaves(pod, _ => true));
        fields["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["."].Should().NotBeNull();
        FieldPath.FromFieldsV1(fields).Should().BeEquivalentTo(FieldPath.Leaves(pod, _ => true));
    }
}
