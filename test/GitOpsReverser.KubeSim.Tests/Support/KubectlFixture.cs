namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>
/// One KubeSim per fixture and the real kubectl against it, <paramref name="which"/> one: <c>installed</c>
/// (1.34, fetched by the test target) or <c>preinstalled</c> (the machine's /usr/bin/kubectl); each test
/// gets a namespace of its own.
/// </summary>
public abstract class KubectlFixture(string which)
{
    private protected RunningKubeSim Sim { get; private set; } = null!;

    protected TestServers.Kubectl Kubectl { get; private set; } = null!;

    /// <summary><c>installed</c> or <c>preinstalled</c>.</summary>
    protected string Which { get; } = which;

    /// <summary>The test's own namespace.</summary>
    protected string Ns { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartKubeSimAsync()
    {
        Sim = await RunningKubeSim.StartAsync();
        var binary = Which == "installed" ? TestServers.Kubectl.Installed : TestServers.Kubectl.Preinstalled;
        if (binary is null)
        {
            Assert.Fail("/usr/bin/kubectl is not on this machine");
        }

        Kubectl = new TestServers.Kubectl(binary!, Sim.KubeconfigPath, Path.Combine(Sim.Directory, "cache-" + Which));
    }

    [OneTimeTearDown]
    public async Task StopKubeSimAsync() => await Sim.DisposeAsync();

    [SetUp]
    public async Task CreateNamespaceAsync()
    {
        Ns = "t-" + Guid.NewGuid().ToString("N")[..10];
        (await Kubectl.RunAsync($"create namespace {Ns}")).ShouldSucceed();
    }
}
