using GitOpsReverser.Git;
using GitOpsReverser.KubeSim.Hosting;
using GitOpsReverser.Tests.TestSupport;
using GitOpsReverser.Watching;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.Tests.Watching;

/// <summary>
/// KubeSim → Reflector → sanitizer and cache → RepoWorker → a bare repository: each real change
/// becomes one commit with the seed layout and message; status-only churn becomes none.
/// </summary>
[Category("Integration")]
public sealed class ObjectPipelineTests
{
    private static readonly WatchedResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);

    [Test]
    public async Task CreateUpdateStatusChurnAndDelete_BecomeExactlyTheRightCommits()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var temp = new TempDirectory();
        var kubeconfig = temp.Combine("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sim.Kubeconfig());
        using var http = KubernetesHttp.Create(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var remote = GitCli.InitBare(temp.Combine("remote.git"));
        await using var worker = RunningWorker.Start(new RepoWorkerOptions
        {
            Id = "pipeline",
            Url = remote,
            DataDirectory = temp.Combine("data"),
            PushQuietWindow = TimeSpan.FromMilliseconds(100),
        });
        var pipeline = new ObjectPipeline(ConfigMaps, TestSanitizer.Create(), new RepositoryLayout(), new ResourceCache(),
            worker.Worker.EnqueueAsync, TimeProvider.System, new HashSet<string> { "argocd-controller" });
        var reflector = new Reflector(new KubernetesApi(http), ConfigMaps, pipeline, new ReflectorOptions(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => reflector.RunAsync(stop.Token));

        async Task SendAsync(HttpMethod method, string path, string? body = null, string type = "application/json")
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, type);
            }

            using var response = await http.SendAsync(request);
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        }

        async Task<List<string>> CommitsAsync(int expected)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var log = GitCli.Run(remote, "for-each-ref").Length == 0 ? [] : GitCli.Log(remote);
                if (log.Count >= expected || DateTime.UtcNow > deadline)
                {
                    return log;
                }

                await Task.Delay(50);
            }
        }

        const string Path = "namespaces/default/ConfigMap/app-config.yaml";
        await SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps?fieldManager=kubectl-create",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config"},"data":{"key":"one"}}""");
        (await CommitsAsync(1)).Should().Equal("[CREATE] ConfigMap/app-config in ns/default by user/kubectl-create");
        GitCli.Show(remote, "main", Path).Should().Contain("key: one").And.NotContain("resourceVersion").And.NotContain("managedFields");

        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/app-config?fieldManager=kubectl-label",
            """{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}}}""", "application/merge-patch+json");
        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/app-config?fieldManager=kubectl-edit",
            """{"data":{"key":"two"}}""", "application/merge-patch+json");
        (await CommitsAsync(2)).Should().Equal(
            "[UPDATE] ConfigMap/app-config in ns/default by user/kubectl-edit",
            "[CREATE] ConfigMap/app-config in ns/default by user/kubectl-create");

        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/app-config?fieldManager=argocd-controller",
            """{"data":{"key":"from-git"}}""", "application/merge-patch+json");
        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/app-config?fieldManager=kubectl-patch",
            """{"data":{"other":"x"}}""", "application/merge-patch+json");
        (await CommitsAsync(3))[0].Should().Be("[UPDATE] ConfigMap/app-config in ns/default by user/kubectl-patch",
            "the excluded manager's change makes no commit of its own");
        GitCli.Show(remote, "main", Path).Should().Contain("key: from-git").And.Contain("other: x");

        await SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/configmaps/app-config");
        (await CommitsAsync(4))[0].Should().Be("[DELETE] ConfigMap/app-config in ns/default");
        GitCli.Files(remote).Should().BeEmpty();

        await stop.CancelAsync();
        await run;
        GitCli.Log(remote).Should().HaveCount(4, "the annotation that the sanitizer removes and the excluded manager's change made none");
    }
}
