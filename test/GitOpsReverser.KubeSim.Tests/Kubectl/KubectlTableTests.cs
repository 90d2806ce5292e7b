using System.Text.RegularExpressions;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>
/// <c>kubectl get</c> prints the Tables KubeSim serves: the API server's columns for the common built-in
/// kinds, a CRD's <c>additionalPrinterColumns</c> (priority 1 with <c>-o wide</c>), Name and Created
/// At for the rest, and Tables in watches. Ages are compared as <c>AGE</c>; columns as kubectl aligns them.
/// </summary>
[TestFixture("installed")]
[TestFixture("preinstalled")]
[Category("Integration")]
public sealed partial class KubectlTableTests(string which) : KubectlFixture(which)
{
    private const string GadgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              additionalPrinterColumns:
                - {name: Size, type: integer, jsonPath: .spec.size}
                - {name: Color, type: string, jsonPath: .spec.color}
                - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
                - {name: Shiny, type: boolean, jsonPath: .spec.shiny, priority: 1}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        size: {type: integer}
                        color: {type: string, default: grey}
                        shiny: {type: boolean}
                    status:
                      type: object
                      properties:
                        conditions: {type: array, items: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            - name: v2
              served: true
              storage: false
              subresources: {status: {}}
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    [OneTimeSetUp]
    public async Task InstallGadgetsAsync() => (await Kubectl.RunAsync("apply -f -", GadgetCrd)).ShouldSucceed();
    private async Task<string[]> Get(string arguments) =>
        [.. (await Kubectl.RunAsync($"-n {Ns} get {arguments}")).ShouldSucceed().Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(WithoutAges)];

    // Ages change while a test runs: each becomes AGE, keeping the columns after it where kubectl put them.
    private static string WithoutAges(string line) =>
        Age().Replace(line.TrimEnd(), match => match.Groups[2].Length == 0
            ? "AGE"
            : "AGE" + new string(' ', Math.Max(1, match.Length - 3)));

    [Test]
    public async Task BuiltInKinds_ShowTheApiServersColumns()
    {
        (await Kubectl.RunAsync($"-n {Ns} create configmap settings --from-literal=a=1 --from-literal=b=2")).ShouldSucceed();
        (await Kubectl.RunAsync($"-n {Ns} create secret generic token --from-literal=t=x")).ShouldSucceed();
        (await Kubectl.RunAsync($"-n {Ns} apply -f -", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: nginx, image: "nginx:1.27"}, {name: sidecar, image: "busybox:1.36"}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              clusterIP: 10.96.0.20
              ports: [{name: http, port: 80, targetPort: 8080}, {name: dns, port: 53, protocol: UDP}]
            """)).ShouldSucceed();
        (await Kubectl.RunAsync($"-n {Ns} patch deployment web --subresource=status --type=merge -p "
            + "{\"status\":{\"replicas\":3,\"readyReplicas\":2,\"updatedReplicas\":3,\"availableReplicas\":2}}")).ShouldSucceed();

        (await Get("configmap settings")).Should().Equal(
            "NAME       DATA   AGE",
            "settings   2      AGE");
        (await Get("secret token")).Should().Equal(
            "NAME    TYPE     DATA   AGE",
            "token   Opaque   1      AGE");
        (await Get("deployment web")).Should().Equal(
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE",
            "web    2/3     3            2           AGE");
        (await Get("deployment web -o wide")).Should().Equal(
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS      IMAGES                    SELECTOR",
            "web    2/3     3            2           AGE   nginx,sidecar   nginx:1.27,busybox:1.36   app=web");
        (await Get("service web -o wide")).Should().Equal(
            "NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE   SELECTOR",
            "web    ClusterIP   10.96.0.20   <none>        80/TCP,53/UDP   AGE   app=web");
        (await Get($"namespace {Ns}")).Should().Equal(
            $"{"NAME",-15}STATUS   AGE",
            $"{Ns}   Active   AGE");
    }

    [Test]
    public async Task OtherBuiltInKinds_ShowNameAndCreatedAt()
    {
        var lines = await Get("crd gadgets.example.com");

        lines[0].Should().MatchRegex(@"^NAME\s+CREATED AT$");
        lines[1].Should().MatchRegex(@"^gadgets\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
    }

    [Test]
    public async Task CustomResources_ShowPrinterColumns_WideAddsPriorityOne_AllNamespacesAddsNamespace()
    {
        (await Kubectl.RunAsync($"-n {Ns} apply -f -", """
            apiVersion: example.com/v1
            kind: Gadget
            metadata: {name: g1}
            spec: {size: 3, color: red, shiny: true}
            ---
            apiVersion: example.com/v1
            kind: Gadget
            metadata: {name: g2}
            spec: {size: 12}
            """)).ShouldSucceed();
        (await Kubectl.RunAsync($"-n {Ns} patch gadgets.v1.example.com g1 --subresource=status --type=merge -p "
            + "{\"status\":{\"conditions\":[{\"type\":\"Synced\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}}")).ShouldSucceed();

        (await Get("gadgets.v1.example.com")).Should().Equal(
            "NAME   SIZE   COLOR   READY   AGE",
            "g1     3      red     True    AGE",
            "g2     12     grey            AGE");
        (await Get("gadgets.v1.example.com -o wide")).Should().Equal(
            "NAME   SIZE   COLOR   READY   SHINY   AGE",
            "g1     3      red     True    true    AGE",
            "g2     12     grey                    AGE");
        // v2 (the preferred version, which plain "gadgets" reads) declares no columns: Name and Age.
        (await Get("gadgets")).Should().Equal(
            "NAME   AGE",
            "g1     AGE",
            "g2     AGE");
        (await Get("gadgets.v1.example.com -A")).Should().Contain(line => line.StartsWith(Ns, StringComparison.Ordinal) && line.Contains("g2", StringComparison.Ordinal))
            .And.HaveElementAt(0, "NAMESPACE      NAME   SIZE   COLOR   READY   AGE");
        (await Get("gadgets.v1.example.com --sort-by=.spec.size -o name")).Should().Equal("gadget.example.com/g1", "gadget.example.com/g2");
    }

    [Test]
    public async Task Watch_PrintsTheHeaderOnceAndARowPerChange()
    {
        (await Kubectl.RunAsync($"-n {Ns} create configmap first --from-literal=a=1")).ShouldSucceed();
        using var watch = Kubectl.Start($"-n {Ns} get configmaps -w");
        await watch.WaitForAsync(output => output.Contains("first", StringComparison.Ordinal), "the first ConfigMap");

        (await Kubectl.RunAsync($"-n {Ns} create configmap second --from-literal=a=1 --from-literal=b=2")).ShouldSucceed();

        await watch.WaitForAsync(output => output.Contains("second", StringComparison.Ordinal), "the second ConfigMap");
        var lines = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(WithoutAges).ToList();
        lines.Should().Equal("NAME    DATA   AGE", "first   1      AGE", "second   2      AGE");
    }

    [TestCase(0, "0s")]
    [TestCase(119, "119s")]
    [TestCase(125, "2m5s")]
    [TestCase(600, "10m")]
    [TestCase(3 * 3600 + 60, "3h1m")]
    [TestCase(20 * 3600, "20h")]
    [TestCase(3 * 86400 + 3600, "3d1h")]
    [TestCase(30 * 86400, "30d")]
    [TestCase(3 * 365 * 86400, "3y")]
    public void HumanDuration_IsKubernetes(int seconds, string expected) =>
        Tables.HumanDuration(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    // An age cell (0s, 12s, 3m5s, 2h) at the end of a line or followed by the spaces before the next column.
    [GeneratedRegex(@"(?<=\s)(\d+[smhdy])+( *)(?=\S|$)")]
    private static partial Regex Age();
}
