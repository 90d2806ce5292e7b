using k8s;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>One KubeSim per fixture and KubernetesClient (the operator's client) against it with its kubeconfig; each test gets a namespace of its own.</summary>
public abstract class KubernetesClientFixture
{
    private protected RunningKubeSim Sim { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    /// <summary>The test's own namespace.</summary>
    protected string Ns { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sim = await RunningKubeSim.StartAsync();
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Sim.KubeconfigPath));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client.Dispose();
        await Sim.DisposeAsync();
    }

    [SetUp]
    public async Task CreateNamespaceAsync()
    {
        Ns = "c-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
    }
}
