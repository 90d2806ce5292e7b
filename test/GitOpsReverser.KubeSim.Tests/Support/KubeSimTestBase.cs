using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>One KubeSim per test class, raw HTTP as its administrator, a fresh namespace per test.</summary>
public abstract class KubeSimTestBase
{
    internal RunningKubeSim Sim { get; private set; } = null!;

    internal KubeHttp Http { get; private set; } = null!;

    protected string Ns { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartKubeSimAsync()
    {
        Sim = await RunningKubeSim.StartAsync();
        Http = new KubeHttp(Sim.Server, Sim.Server.Authenticator.DefaultToken);
    }

    [OneTimeTearDown]
    public async Task StopKubeSimAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }

    [SetUp]
    public async Task CreateNamespaceAsync()
    {
        Sim.Server.Faults.Clear();
        Ns = "s-" + Guid.NewGuid().ToString("N")[..10];
        await Http.CreateAsync("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Ns },
        });
    }

    protected string ConfigMaps => $"/api/v1/namespaces/{Ns}/configmaps";

    internal static long Rv(JsonObject obj) => long.Parse((string)obj["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
}
