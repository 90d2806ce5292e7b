using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>
/// The real kubectl against KubeSim over HTTPS with a bearer token and default (strict) validation:
/// kubectl 1.34 as installed by the test target, and the machine's /usr/bin/kubectl 1.32.
/// </summary>
[TestFixture("installed")]
[TestFixture("preinstalled")]
[Category("Integration")]
public sealed class KubectlTests(string which) : KubectlFixture(which)
{
    private Task<KubectlResult> Run(string arguments, string? stdin = null, IDictionary<string, string>? environment = null) =>
        Kubectl.RunAsync($"-n {Ns} {arguments}", stdin, environment);

    private static string ConfigMapYaml(string name, string value, string labels = "app: demo") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          labels:
            {labels}
        data:
          key: {value}
        """;

    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:IMAGE
                env:
                - {name: A, value: "1"}
        """;

    [Test]
    public async Task ApiResources_ListsBuiltInKindsWithScopeAndShortNames()
    {
        var result = (await Kubectl.RunAsync("api-resources")).ShouldSucceed();

        result.Output.Should().MatchRegex(@"configmaps\s+cm\s+v1\s+true\s+ConfigMap");
        result.Output.Should().MatchRegex(@"namespaces\s+ns\s+v1\s+false\s+Namespace");
        result.Output.Should().MatchRegex(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment");
        result.Output.Should().MatchRegex(@"customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io/v1\s+false");
        result.Output.Should().MatchRegex(@"validatingwebhookconfigurations\s+admissionregistration.k8s.io/v1\s+false");
    }

    [Test]
    public async Task Get_NamespacedClusterScopedSelectorsAndYaml()
    {
        (await Run("create -f -", ConfigMapYaml("one", "a"))).ShouldSucceed();
        (await Run("create -f -", ConfigMapYaml("two", "b", "app: other"))).ShouldSucceed();

        (await Run("get configmaps")).ShouldSucceed().Output.Should().Contain("one").And.Contain("two");
        (await Kubectl.RunAsync("get namespaces")).ShouldSucceed().Output.Should().Contain(Ns).And.Contain("kube-system");
        var selected = (await Run("get cm -l app=demo -o name")).ShouldSucceed();
        selected.Output.Trim().Should().Be("configmap/one");
        (await Run("get cm -l 'app in (demo,other)' -o name")).ShouldSucceed().Output.Should().Contain("configmap/two");
        (await Run("get cm -l app!=demo -o name")).ShouldSucceed().Output.Trim().Should().Be("configmap/two");

        var yaml = (await Run("get cm one -o yaml")).ShouldSucceed().Output;
        yaml.Should().Contain("key: a").And.Contain($"namespace: {Ns}").And.Contain("resourceVersion:").And.Contain("uid:");
    }

    [Test]
    public async Task Get_ChunkSize_PagesWithContinueTokens()
    {
        for (var i = 0; i < 7; i++)
        {
            (await Run("create -f -", ConfigMapYaml($"c{i}", "x"))).ShouldSucceed();
        }

        var result = (await Run("get cm --chunk-size=3 -v=6 -o name")).ShouldSucceed();

        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(7);
        result.Error.Should().Contain("limit=3");
        System.Text.RegularExpressions.Regex.Matches(result.Error, "continue=").Should().HaveCount(2);
    }

    [Test]
    public async Task Apply_ClientSideTwice_CreatesThenPatches()
    {
        (await Run("apply -f -", DeploymentYaml.Replace("IMAGE", "1.25"))).ShouldSucceed().Output.Should().Contain("created");
        (await Run("apply -f -", DeploymentYaml.Replace("IMAGE", "1.25"))).ShouldSucceed().Output.Should().Contain("unchanged");
        var second = (await Run("apply -v=6 -f -", DeploymentYaml.Replace("IMAGE", "1.26"))).ShouldSucceed();

        second.Output.Should().Contain("configured");
        second.Error.Should().MatchRegex("(verb=\"PATCH\"|PATCH https).*/deployments/web");
        var image = (await Run("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}/{.metadata.generation}")).ShouldSucceed();
        image.Output.Should().Be("nginx:1.26/2");
    }

    [Test]
    public async Task ApplyServerSide_OwnsFields_ConflictsWithOtherManagersUnlessForced()
    {
        (await Run("apply --server-side -f -", ConfigMapYaml("ssa", "first"))).ShouldSucceed().Output.Should().Contain("serverside-applied");
        var conflict = await Run("apply --server-side --field-manager=other -f -", ConfigMapYaml("ssa", "second"));
        conflict.ExitCode.Should().NotBe(0);
        conflict.Error.Should().Contain("conflict with \"kubectl\"").And.Contain(".data.key");

        (await Run("apply --server-side --force-conflicts --field-manager=other -f -", ConfigMapYaml("ssa", "second"))).ShouldSucceed();
        var managed = (await Run("get cm ssa --show-managed-fields -o yaml")).ShouldSucceed().Output;
        managed.Should().Contain("manager: other").And.Contain("operation: Apply").And.Contain("key: second");
    }

    [Test]
    public async Task Edit_WithEditorScript_UpdatesTheObject()
    {
        (await Run("create -f -", ConfigMapYaml("edited", "before"))).ShouldSucceed();
        var editor = Path.Combine(Sim.Directory, $"editor-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/key: before/key: after/' \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        (await Run("edit cm edited", environment: new Dictionary<string, string> { ["EDITOR"] = editor })).ShouldSucceed();

        var result = (await Run("get cm edited -o jsonpath={.data.key}/{.metadata.managedFields[*].manager}")).ShouldSucceed();
        result.Output.Should().Be("after/kubectl-create kubectl-edit");
    }

    [Test]
    public async Task Patch_AllThreeTypes_AndStrategicMergesContainerEnvByName()
    {
        (await Run("create -f -", ConfigMapYaml("p", "v"))).ShouldSucceed();
        (await Run("apply -f -", DeploymentYaml.Replace("IMAGE", "1.25"))).ShouldSucceed();

        (await Run("patch cm p --type=merge -p '{\"data\":{\"m\":\"1\"}}'")).ShouldSucceed();
        (await Run("patch cm p --type=json -p '[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"2\"}]'")).ShouldSucceed();
        (await Run("patch cm p --type=strategic -p '{\"data\":{\"s\":\"3\"}}'")).ShouldSucceed();
        (await Run("patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"env\":[{\"name\":\"B\",\"value\":\"2\"}]}]}}}}'")).ShouldSucceed();

        (await Run("get cm p -o jsonpath={.data}")).ShouldSucceed().Output.Should().Be("{\"j\":\"2\",\"key\":\"v\",\"m\":\"1\",\"s\":\"3\"}");
        (await Run("get deploy web -o jsonpath={.spec.template.spec.containers[0].env[*].name}")).ShouldSucceed().Output.Should().Be("A B");
    }

    [Test]
    public async Task Replace_WithCurrentResourceVersion_Succeeds_AndStaleOneConflicts()
    {
        (await Run("create -f -", ConfigMapYaml("r", "v1"))).ShouldSucceed();
        var current = (await Run("get cm r -o yaml")).ShouldSucceed().Output;

        (await Run("replace -f -", current.Replace("key: v1", "key: v2"))).ShouldSucceed();
        var stale = await Run("replace -f -", current.Replace("key: v1", "key: v3"));

        stale.ExitCode.Should().NotBe(0);
        stale.Error.Should().Contain("Conflict").And.Contain("the object has been modified");
        (await Run("get cm r -o jsonpath={.data.key}")).ShouldSucceed().Output.Should().Be("v2");
    }

    [Test]
    public async Task Label_AddsAndRemovesLabels()
    {
        (await Run("create -f -", ConfigMapYaml("l", "v"))).ShouldSucceed();

        (await Run("label cm l tier=backend")).ShouldSucceed();
        (await Run("get cm -l tier=backend -o name")).ShouldSucceed().Output.Trim().Should().Be("configmap/l");
        (await Run("label cm l tier-")).ShouldSucceed();
        (await Run("get cm -l tier=backend -o name")).ShouldSucceed().Output.Trim().Should().BeEmpty();
    }

    [Test]
    public async Task Delete_WithoutFinalizers_RemovesAtOnce_WithFinalizers_WaitsForTheLast()
    {
        (await Run("create -f -", ConfigMapYaml("plain", "v"))).ShouldSucceed();
        (await Run("create -f -", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              finalizers: [example.com/hold]
            """)).ShouldSucceed();

        (await Run("delete cm plain")).ShouldSucceed();
        (await Run("get cm plain")).Error.Should().Contain("NotFound");

        (await Run("delete cm held --wait=false")).ShouldSucceed();
        (await Run("get cm held -o jsonpath={.metadata.deletionTimestamp}")).ShouldSucceed().Output.Should().NotBeEmpty();
        (await Run("patch cm held --type=json -p '[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]'")).ShouldSucceed();
        (await Run("get cm held")).Error.Should().Contain("NotFound");
    }

    [Test]
    public async Task Watch_AllAndByName_SeeCurrentObjectsAndLaterChanges()
    {
        (await Run("create -f -", ConfigMapYaml("w1", "v"))).ShouldSucceed();
        using var all = Kubectl.Start($"-n {Ns} get cm -w -o name");
        using var one = Kubectl.Start($"-n {Ns} get cm w1 -w -o jsonpath={{.data.key}}{{\"\\n\"}}");
        await all.WaitForAsync(output => output.Contains("configmap/w1"), "the existing object");
        await one.WaitForAsync(output => output.Contains('v'), "the named object");

        (await Run("create -f -", ConfigMapYaml("w2", "v"))).ShouldSucceed();
        (await Run("patch cm w1 --type=merge -p '{\"data\":{\"key\":\"changed\"}}'")).ShouldSucceed();

        await all.WaitForAsync(output => output.Contains("configmap/w2"), "the created object");
        await one.WaitForAsync(output => output.Contains("changed"), "the change to the named object");
        one.Output.Should().NotContain("w2");
    }

    [Test]
    public async Task ApplyCrd_ThenTheNewKindIsUsableAtOnce_AndStrategicPatchIsRefusedWith415()
    {
        var group = $"g{Guid.NewGuid():N}"[..12] + ".example.com";
        var crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.GROUP
            spec:
              group: GROUP
              names: {plural: widgets, singular: widget, kind: Widget}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: integer}
            """.Replace("GROUP", group);
        var widget = "apiVersion: GROUP/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n".Replace("GROUP", group);

        (await Run("apply -f -", crd)).ShouldSucceed();
        (await Run("apply -f -", widget)).ShouldSucceed().Output.Should().Contain("created");
        (await Run($"get widgets.{group}")).ShouldSucceed().Output.Should().Contain("w");
        (await Run("apply -f -", widget.Replace("size: 3", "size: 4"))).ShouldSucceed().Output.Should().Contain("configured");

        var strategic = await Run($"patch widgets.{group} w --type=strategic -p '{{\"spec\":{{\"size\":5}}}}'");
        strategic.ExitCode.Should().NotBe(0);
        strategic.Error.Should().Contain("application/strategic-merge-patch+json").And.Contain("unknown format");

        var unknownField = await Run("apply -f -", widget.Replace("size: 3", "size: 3, color: red"));
        unknownField.ExitCode.Should().NotBe(0);
        unknownField.Error.Should().Contain("unknown field \"spec.color\"");
        (await Run($"get widgets.{group} w -o jsonpath={{.spec.size}}/{{.metadata.generation}}")).ShouldSucceed().Output.Should().Be("4/2");
    }

    [Test]
    public async Task CreateImperative_SendsProtobuf_ForConfigMapsAndSecrets()
    {
        (await Run("create configmap imperative --from-literal=a=b --from-literal=c=d")).ShouldSucceed();
        (await Run("create secret generic token --from-literal=password=hunter2")).ShouldSucceed();
        (await Run("create serviceaccount robot")).ShouldSucceed();

        (await Run("get cm imperative -o jsonpath={.data}")).ShouldSucceed().Output.Should().Be("{\"a\":\"b\",\"c\":\"d\"}");
        (await Run("get secret token -o jsonpath={.data.password}")).ShouldSucceed().Output.Should().Be("aHVudGVyMg==");
        (await Run("get sa robot -o name")).ShouldSucceed().Output.Trim().Should().Be("serviceaccount/robot");
    }

    [Test]
    public async Task Create_WithUnknownField_IsRefusedByStrictValidation()
    {
        var result = await Run("create -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: b}\nspecial: true\n");

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("unknown field \"special\"");
    }

    [Test]
    public async Task Token_Wrong_IsUnauthorized()
    {
        var wrong = new TestServers.Kubectl(Kubectl.Binary, Sim.KubeconfigFor("not-a-token"), Path.Combine(Sim.Directory, $"cache-wrong-{Which}"));
        (await wrong.RunAsync("get cm")).Error.Should().Contain("the server has asked for the client to provide credentials");
    }
}
