using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;
using GitOpsReverser.Kube;
using GitOpsReverser.KubeSim.Hosting;
using GitOpsReverser.KubeSim.Storage;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.IntegrationTests.Kube;

/// <summary>
/// The reflector against KubeSim with faults: whatever happens to the watch, the objects it reports
/// end up equal to the cluster's, version for version.
/// </summary>
[Category("Integration")]
public sealed class ReflectorTests
{
    private static readonly WatchedResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);

    private KubeSimServer sim = null!;
    private HttpClient http = null!;
    private string ns = null!;

    [SetUp]
    public async Task StartAsync()
    {
        sim = await KubeSimServer.StartAsync(new KubeSimOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        http = KubeSimHttp.For(sim);
        ns = "r-" + Guid.NewGuid().ToString("N")[..8];
        await SendAsync(HttpMethod.Post, "api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        });
    }

    [TearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await sim.DisposeAsync();
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body = null, string contentType = "application/json")
    {
        // The test's own writes retry through injected 429s and 500s meant for the reflector.
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, contentType);
            }

            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (attempt > 20 || (int)response.StatusCode is not (429 or 500))
            {
                Assert.Fail(await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(20);
        }
    }

    private Task PutAsync(string name, string value) => SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{ns}/configmaps/{name}?fieldManager=test",
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["data"] = new JsonObject { ["v"] = value },
        }, "application/apply-patch+yaml");

    private Task DeleteAsync(string name) => SendAsync(HttpMethod.Delete, $"api/v1/namespaces/{ns}/configmaps/{name}");

    private (Reflector Reflector, ModelHandler Model, CancellationTokenSource Stop, Task Run) Start(ReflectorOptions? options = null, HttpClient? client = null)
    {
        var model = new ModelHandler();
        var reflector = new Reflector(new ApiServerClient(client ?? http), ConfigMaps, model,
            options ?? new ReflectorOptions { PageSize = 3, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        return (reflector, model, stop, Task.Run(() => reflector.RunAsync(stop.Token)));
    }

    // Every ConfigMap in the cluster, by key, with its resourceVersion.
    private Dictionary<string, string> Cluster() =>
        sim.Store.Snapshot("configmaps", ObjectFilter.All).ToDictionary(o => o.Key, o => o.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task ConvergesAsync(ModelHandler model, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!model.Snapshot().OrderBy(p => p.Key).SequenceEqual(Cluster().OrderBy(p => p.Key)))
        {
            if (DateTime.UtcNow > deadline)
            {
                model.Snapshot().Should().BeEquivalentTo(Cluster(), because);
            }

            await Task.Delay(20);
        }
    }

    [Test]
    public async Task PagedList_ThenWatch_ReportsTheClusterExactly()
    {
        for (var i = 0; i < 10; i++)
        {
            await PutAsync($"cm-{i}", "1");
        }

        var (reflector, model, stop, run) = Start();
        await ConvergesAsync(model, "the paged list reports every object");
        model.SyncedCount.Should().Be(1);
        await PutAsync("cm-3", "2");
        await DeleteAsync("cm-4");
        await PutAsync("cm-new", "1");
        await ConvergesAsync(model, "watch events follow");

        await stop.CancelAsync();
        await run;
        reflector.Status.Relists.Should().Be(0);
        model.DeletedWithLastState.Should().Contain($"{ns}/cm-4");
    }

    [Test]
    public async Task DroppedWatches_ResumeFromTheLastVersion_WithoutRelisting()
    {
        await PutAsync("a", "1");
        var (reflector, model, stop, run) = Start();
        await ConvergesAsync(model, "initial list");

        for (var round = 0; round < 5; round++)
        {
            sim.Faults.CloseWatches();
            await PutAsync("a", $"{round + 2}");
            await PutAsync($"b-{round}", "1");
        }

        await ConvergesAsync(model, "every change made while watches were dropped arrives");
        await stop.CancelAsync();
        await run;
        reflector.Status.Relists.Should().Be(0, "the history still reached back to the last resourceVersion seen");
        reflector.Status.WatchRestarts.Should().BeGreaterThan(0);
    }

    [Test]
    public async Task CompactedHistory_Relists_AndObjectsDeletedMeanwhileBecomeDeletions()
    {
        for (var i = 0; i < 6; i++)
        {
            await PutAsync($"cm-{i}", "1");
        }

        var (reflector, model, stop, run) = Start();
        await ConvergesAsync(model, "initial list");
        sim.Faults.StallWatches(true);
        await DeleteAsync("cm-1");
        await DeleteAsync("cm-2");
        await PutAsync("cm-3", "2");
        sim.Faults.Compact();
        sim.Faults.CloseWatches();
        sim.Faults.StallWatches(false);

        await ConvergesAsync(model, "a relist turns the vanished objects into deletions");
        await stop.CancelAsync();
        await run;
        reflector.Status.Relists.Should().BeGreaterThanOrEqualTo(1);
        model.DeletedOnRelist.Should().BeEquivalentTo($"{ns}/cm-1", $"{ns}/cm-2");
        model.SyncedCount.Should().BeGreaterThanOrEqualTo(2);
    }

    [Test]
    public async Task ErrorStorms_AreRetriedWithBackoff_UntilTheServerAnswers()
    {
        await PutAsync("a", "1");
        sim.Faults.FailNext(6, 500);
        var (reflector, model, stop, run) = Start();
        await ConvergesAsync(model, "the list succeeds after the 500s");

        sim.Faults.FailNext(4, 429, retryAfterSeconds: 0);
        sim.Faults.CloseWatches();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (reflector.Status.LastError is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        reflector.Status.LastError.Should().Contain("429", "the resumed watch met the injected 429s");
        await PutAsync("b", "1");
        await ConvergesAsync(model, "the watch resumes after the 429s");
        await stop.CancelAsync();
        await run;
        reflector.Status.LastError.Should().BeNull("errors clear once the server answers");
    }

    [Test]
    public async Task RefusedCredentials_AreRetried_UntilTheTokenProviderHasAValidToken()
    {
        await PutAsync("a", "1");
        var tokens = new SwitchableToken(await ServiceAccountTokenAsync());
        using var client = KubernetesHttp.Create(new KubernetesClientConfiguration
        {
            Host = sim.Url.ToString(),
            SslCaCerts = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(sim.CaPem!)],
            TokenProvider = tokens,
        });
        var (reflector, model, stop, run) = Start(client: client);
        await ConvergesAsync(model, "the ServiceAccount's token is accepted");

        // The account goes away with its token; the dropped watch comes back to 401s.
        await SendAsync(HttpMethod.Delete, $"api/v1/namespaces/{ns}/serviceaccounts/reader");
        sim.Faults.CloseWatches();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (reflector.Status.LastError?.Contains("401", StringComparison.Ordinal) != true && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        reflector.Status.LastError.Should().Contain("401 Unauthorized");
        run.IsCompleted.Should().BeFalse("a refused token is retried, not the end of the reflector");

        // A new token, as a rotated token file: the next attempt uses it and the watch catches up.
        tokens.Current = await ServiceAccountTokenAsync();
        await PutAsync("b", "1");
        await ConvergesAsync(model, "the reflector resumes with the new token");
        await stop.CancelAsync();
        await run;
    }

    // A ServiceAccount "reader" bound to cluster-admin, and a token for it from the TokenRequest subresource.
    private async Task<string> ServiceAccountTokenAsync()
    {
        await SendAsync(HttpMethod.Post, $"api/v1/namespaces/{ns}/serviceaccounts",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "reader" } });
        await SendAsync(HttpMethod.Patch, $"apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{ns}-reader?fieldManager=test", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new JsonObject { ["name"] = $"{ns}-reader" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "cluster-admin" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "reader", ["namespace"] = ns }),
        }, "application/apply-patch+yaml");
        using var response = await http.PostAsync($"api/v1/namespaces/{ns}/serviceaccounts/reader/token",
            new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!["token"]!;
    }

    [Test]
    public async Task HangingList_TimesOut_AndIsRetried()
    {
        await PutAsync("a", "1");
        sim.Faults.Latency = TimeSpan.FromSeconds(3);
        var (reflector, model, stop, run) = Start(new ReflectorOptions
        {
            ListPageTimeout = TimeSpan.FromMilliseconds(300),
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(100),
        });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (reflector.Status.LastError is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        reflector.Status.Synced.Should().BeFalse();
        reflector.Status.LastError.Should().NotBeNull("a list slower than its timeout is a failure");
        sim.Faults.Latency = TimeSpan.Zero;
        await ConvergesAsync(model, "the retried list succeeds once the server answers in time");
        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task SilentWatch_IsRestarted()
    {
        await PutAsync("a", "1");
        var (reflector, model, stop, run) = Start(new ReflectorOptions { SilenceTimeout = TimeSpan.FromMilliseconds(700) });
        await ConvergesAsync(model, "initial list");
        sim.Faults.StallWatches(true);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (reflector.Status.WatchRestarts == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var restarts = reflector.Status.WatchRestarts;
        sim.Faults.StallWatches(false);
        await PutAsync("b", "1");

        await ConvergesAsync(model, "after the restart the change arrives");
        await stop.CancelAsync();
        await run;
        restarts.Should().BeGreaterThanOrEqualTo(1, "a watch without events or bookmarks past the silence timeout is started again");
    }

    /// <summary>Applies reflector events to a dictionary of key → resourceVersion.</summary>
    // What an in-cluster token file is to KubernetesClient's TokenFileAuth: read again for every request here.
    private sealed class SwitchableToken(string initial) : k8s.Authentication.ITokenProvider
    {
        public volatile string Current = initial;

        public Task<System.Net.Http.Headers.AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Current));
    }

    private sealed class ModelHandler : IReflectorHandler
    {
        private readonly Dictionary<string, string> objects = new(StringComparer.Ordinal);

        public int SyncedCount { get; private set; }

        public List<string> DeletedOnRelist { get; } = [];

        public List<string> DeletedWithLastState { get; } = [];

        public Dictionary<string, string> Snapshot()
        {
            lock (objects)
            {
                return new Dictionary<string, string>(objects.Where(pair => pair.Key.Contains('/', StringComparison.Ordinal)));
            }
        }

        public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
        {
            lock (objects)
            {
                switch (change)
                {
                    case ReflectorEvent.Upserted upserted:
                        objects[upserted.Key] = upserted.Object.GetMapping("metadata")!.GetString("resourceVersion")!;
                        break;
                    case ReflectorEvent.Deleted deleted:
                        objects.Remove(deleted.Key);
                        (deleted.LastState is null ? DeletedOnRelist : DeletedWithLastState).Add(deleted.Key);
                        break;
                    case ReflectorEvent.Synced:
                        SyncedCount++;
                        break;
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
