using GitOpsReverser.KubeSim.Hosting;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Security;

/// <summary>The users file: tokens, groups and deny rules, seen through kubectl and raw HTTP.</summary>
[Category("Integration")]
public sealed class AuthorizationTests
{
    private const string Users = """
        users:
          - {name: admin, token: admin-token, groups: [system:masters]}
          - {name: alice, token: alice-token, groups: [developers]}
        deny:
          - users: [alice]
            verbs: [delete]
            resources: [configmaps]
          - groups: [developers]
            verbs: ["*"]
            resources: [secrets]
            namespaces: [kube-system]
        """;

    private RunningKubeSim sim = null!;
    private string usersFile = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        usersFile = Path.Combine(Path.GetTempPath(), $"kubesim-users-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(usersFile, Users);
        sim = await RunningKubeSim.StartAsync(new KubeSimOptions { UsersFile = usersFile });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await sim.DisposeAsync();
        File.Delete(usersFile);
    }

    [Test]
    public async Task DenyRules_ForbidWithTheApiServersMessage()
    {
        sim.Server.Authenticator.DefaultToken.Should().Be("admin-token", "the kubeconfig carries the first user's token");
        var alice = new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigFor("alice-token"), Path.Combine(sim.Directory, "cache-alice"));

        (await alice.RunAsync("create -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n")).ShouldSucceed();
        var delete = await alice.RunAsync("delete cm mine");
        var secrets = await alice.RunAsync("-n kube-system get secrets");

        delete.Error.Should().Contain("Forbidden").And.Contain("User \"alice\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"default\"");
        secrets.Error.Should().Contain("cannot list resource \"secrets\"");
        (await alice.RunAsync("get secrets")).ShouldSucceed();
    }

    [Test]
    public async Task FaultEndpoints_AreForAdministratorsOnly()
    {
        using var alice = new KubeHttp(sim.Server, "alice-token");
        using var admin = new KubeHttp(sim.Server, "admin-token");

        (await alice.SendAsync(HttpMethod.Post, "/kubesim/faults/compact")).Code.Should().Be(403);
        (await admin.SendAsync(HttpMethod.Post, "/kubesim/faults/compact")).Code.Should().Be(200);
    }
}
