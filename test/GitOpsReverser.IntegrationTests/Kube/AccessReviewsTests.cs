using System.Text;
using GitOpsReverser.IntegrationTests.TestSupport;
using GitOpsReverser.Kube;
using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.IntegrationTests.Kube;

/// <summary><see cref="AccessReviews"/> against KubeSim's RBAC: real SubjectAccessReviews, kept until RBAC changes or they age.</summary>
[Category("Integration")]
public sealed class AccessReviewsTests
{
    private static readonly AccessRequest ListSecrets = new("team-a", "default", "list", "", "secrets", "team-a", null);

    private KubeSimServer sim = null!;
    private HttpClient http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        sim = await KubeSimServer.StartAsync(new KubeSimOptions());
        http = KubeSimHttp.For(sim);
    }

    [TearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await sim.DisposeAsync();
    }

    [Test]
    public async Task AReview_AsksRbacForTheServiceAccount_AndIsAskedAgainOnlyAfterRbacChanged()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var reviews = new AccessReviews(http, time);

        (await reviews.ReviewAsync(ListSecrets, CancellationToken.None)).Allowed.Should().BeFalse();
        await CreateAsync("api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}""");
        await CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"reads","namespace":"team-a"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},
             "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"team-a"}]}
            """);
        (await reviews.ReviewAsync(ListSecrets, CancellationToken.None)).Allowed.Should().BeFalse("the answer is kept until RBAC is said to have changed");
        reviews.Requests.Should().Be(1);

        reviews.Forget();
        var allowed = await reviews.ReviewAsync(ListSecrets, CancellationToken.None);
        allowed.Allowed.Should().BeTrue("edit reads Secrets, through the aggregation of view and system:aggregate-to-edit");
        allowed.Reason.Should().Contain("RoleBinding \"reads/team-a\"");
        (await reviews.ReviewAsync(ListSecrets with { TargetNamespace = "team-b" }, CancellationToken.None)).Allowed.Should().BeFalse();
        (await reviews.ReviewAsync(ListSecrets with { TargetNamespace = null }, CancellationToken.None)).Allowed.Should().BeFalse("a RoleBinding grants its namespace only");

        time.Advance(AccessReviews.MaxAge);
        await reviews.ReviewAsync(ListSecrets, CancellationToken.None);
        reviews.Requests.Should().Be(5, "an answer is asked again once it is older than the bound");
    }

    [Test]
    public async Task AnOperatorThatMayNotReview_IsDenied_SayingWhatToGrant()
    {
        await using var restricted = await KubeSimServer.StartAsync(new KubeSimOptions { UsersFile = await UsersFileAsync() });
        using var operatorHttp = KubeSimHttp.For(restricted, "operator-token");

        var decision = await new AccessReviews(operatorHttp, TimeProvider.System).ReviewAsync(ListSecrets, CancellationToken.None);

        decision.Allowed.Should().BeFalse();
        decision.Reason.Should().Contain("grant create on subjectaccessreviews.authorization.k8s.io");
    }

    private async Task CreateAsync(string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> UsersFileAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"users-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            users:
              - {name: admin, token: admin-token, groups: [system:masters]}
              - {name: gitops-reverser, token: operator-token}
            deny:
              - users: [gitops-reverser]
                verbs: [create]
                resources: [subjectaccessreviews]
            """);
        return file;
    }
}
