using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Git.History;
using GitOpsReverser.Restore;

namespace GitOpsReverser.UnitTests.Restore;

/// <summary>
/// What a restore corrects after server-side apply: only fields the repository recorded a change of since the
/// commit; what it never recorded (an ignored field, a server default) stays as the cluster has it.
/// </summary>
public sealed class ObjectComparisonTests
{
    private const string AtCommit = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {mode: slow, list: x}\n";

    private static RecordedObject Recorded(string atCommit, string? atTip) =>
        RecordedObject.Read(new RecordedFile("namespaces/shop/ConfigMap/app.yaml", Encoding.UTF8.GetBytes(atCommit),
            atTip is null ? null : Encoding.UTF8.GetBytes(atTip)), [])!;

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    public void ALabelRecordedSinceTheCommit_IsRemoved_ByAJsonPatch()
    {
        var recorded = Recorded(AtCommit, AtCommit.Replace("name: app,", "name: app, labels: {added: since},", StringComparison.Ordinal));
        var live = Json("""{"metadata":{"name":"app","namespace":"shop","labels":{"added":"since"}},"data":{"mode":"slow","list":"x"}}""");

        var corrections = ObjectComparison.Corrections(recorded, live, applied: live);

        corrections.ToJsonString().Should().Be("""[{"op":"remove","path":"/metadata/labels/added"}]""");
    }

    [Test]
    public void AFieldTheRepositoryNeverRecorded_IsLeftAsTheClusterHasIt()
    {
        // An ignored field (or one the sanitizer drops): in neither the commit nor the tip.
        var recorded = Recorded(AtCommit, AtCommit);
        var live = Json("""{"metadata":{"name":"app","namespace":"shop","labels":{"hpa":"owned"}},"spec":{"replicas":7},"data":{"mode":"slow","list":"x"}}""");

        ObjectComparison.Corrections(recorded, live, live).Should().BeEmpty();
        ObjectComparison.Changes(recorded, live, live).Should().BeEmpty();
    }

    [Test]
    public void AValueApplySetsBack_NeedsNoCorrection_AndIsAChange()
    {
        var recorded = Recorded(AtCommit, AtCommit.Replace("mode: slow", "mode: fast", StringComparison.Ordinal));
        var live = Json("""{"metadata":{"name":"app","namespace":"shop"},"data":{"mode":"fast","list":"x"}}""");
        var applied = Json("""{"metadata":{"name":"app","namespace":"shop"},"data":{"mode":"slow","list":"x"}}""");

        ObjectComparison.Corrections(recorded, live, applied).Should().BeEmpty();
        var change = ObjectComparison.Changes(recorded, live, applied).Should().ContainSingle().Subject;
        change.Pointer.Should().Be("/data/mode");
        ((string?)change.Before).Should().Be("fast");
        ((string?)change.After).Should().Be("slow");
    }

    [Test]
    public void AListApplyMergedIntoAnother_IsReplacedWhole_WhenTheRecordChangedIt()
    {
        const string Commit = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{name: http, port: 80}]}\n";
        var recorded = Recorded(Commit, Commit.Replace("port: 80}]", "port: 80}, {name: debug, port: 9000}]", StringComparison.Ordinal));
        var live = Json("""{"metadata":{"name":"web","namespace":"shop"},"spec":{"ports":[{"name":"http","port":80},{"name":"debug","port":9000}]}}""");

        var corrections = ObjectComparison.Corrections(recorded, live, applied: live);

        corrections.ToJsonString().Should().Be("""[{"op":"add","path":"/spec/ports","value":[{"name":"http","port":80}]}]""");
        var restored = ObjectComparison.Merge(live, corrections, Json("""{"spec":{"ports":[{"name":"http","port":80,"protocol":"TCP"}]}}"""));
        restored["spec"]!["ports"]!.ToJsonString().Should().Be("""[{"name":"http","port":80,"protocol":"TCP"}]""", "the server's answer to the patch is what the object becomes");
    }

    [Test]
    public void AnObjectDeletedSince_HasNoTip_AndAFieldNewToTheLiveObjectIsLeftToApply()
    {
        var recorded = Recorded(AtCommit, atTip: null);
        var live = Json("""{"metadata":{"name":"app","namespace":"shop"},"data":{"list":"x"}}""");

        ObjectComparison.Corrections(recorded, live, Json("""{"metadata":{"name":"app","namespace":"shop"},"data":{"mode":"slow","list":"x"}}"""))
            .Should().BeEmpty("apply adds data.mode exactly as the commit has it");
    }

    [Test]
    public void AFingerprintedValue_IsUnrestorable_LeftOutOfTheApply_AndNeverCompared()
    {
        const string Secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata: {password: 'hmac-sha256:0123456789abcdef', user: YXBw}\n";
        var recorded = RecordedObject.Read(new RecordedFile("namespaces/shop/Secret/db.yaml", Encoding.UTF8.GetBytes(Secret), null), [])!;

        recorded.Unrestorable.Should().Equal("/data/password");
        recorded.Desired!["data"]!.ToJsonString().Should().Be("""{"user":"YXBw"}""");
        recorded.Sensitive.Should().BeTrue();
        ObjectComparison.Paths(recorded).Should().NotContain("/data/password");
    }

    [Test]
    public void ALiveObjectAControllerOwns_NamesIt_AndAnEncryptedFileWithoutAnIdentity_IsAProblem()
    {
        Restorer.Controller(Json("""{"metadata":{"ownerReferences":[{"kind":"Other","name":"x"},{"kind":"Deployment","name":"web","controller":true}]}}"""))
            .Should().Be("Deployment/web");
        Restorer.Controller(Json("""{"metadata":{"ownerReferences":[{"kind":"Other","name":"x","controller":false}]}}""")).Should().BeNull();

        const string Encrypted = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata: {password: 'ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]'}\n" +
            "sops: {age: [{recipient: age1x, enc: x}], mac: x, lastmodified: '2026-01-01T00:00:00Z'}\n";
        RecordedObject.Read(new RecordedFile("p", Encoding.UTF8.GetBytes(Encrypted), null), [])!.Problem
            .Should().Be("the file is SOPS-encrypted: give --age-identity FILE with one of its recipients' identities");

        RecordedObject.Read(new RecordedFile("p", Encoding.UTF8.GetBytes("kind: [broken"), null), [])!.Problem.Should().StartWith("the file is not a Kubernetes object:");
    }

    [Test]
    public void AnObjectInAFileTheOperatorWouldNotWriteItTo_IsRefused()
    {
        const string Binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: backdoor}\n" +
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: mallory}]\n";
        var layout = new GitOpsReverser.Git.Layout.RepositoryLayout("clusters/prod");

        var planted = RecordedObject.Read(new RecordedFile("clusters/prod/namespaces/shop/ConfigMap/app.yaml", Encoding.UTF8.GetBytes(Binding), null), [], layout)!;
        var inPlace = RecordedObject.Read(new RecordedFile("clusters/prod/cluster-scoped/ClusterRoleBinding/backdoor.yaml", Encoding.UTF8.GetBytes(Binding), null), [], layout)!;

        planted.Desired.Should().BeNull();
        planted.Problem.Should().Be("the file clusters/prod/namespaces/shop/ConfigMap/app.yaml holds ClusterRoleBinding/backdoor, which the operator writes " +
            "elsewhere: the repository was edited by hand, and this object is not restored");
        inPlace.Problem.Should().BeNull();
    }
}
