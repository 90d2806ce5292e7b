using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Faults;

[Category("Integration")]
public sealed class FaultInjectorTests : KubeSimTestBase
{
    [Test]
    public async Task FailNext_AnswersThatManyRequestsWith429AndRetryAfter_ThenRecovers()
    {
        Sim.Server.Faults.FailNext(2, 429, retryAfterSeconds: 3);

        var (first, body, response) = await Http.SendAsync(HttpMethod.Get, ConfigMaps);
        var (second, _, _) = await Http.SendAsync(HttpMethod.Get, ConfigMaps);
        var (third, _, _) = await Http.SendAsync(HttpMethod.Get, ConfigMaps);

        first.Should().Be(429);
        ((string?)body["reason"]).Should().Be("TooManyRequests");
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        second.Should().Be(429);
        third.Should().Be(200);
    }

    [Test]
    public async Task FaultEndpoints_WorkForAdministrators()
    {
        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/fail?count=1&code=500");
        code.Should().Be(200, body.ToJsonString());

        var (failed, status, _) = await Http.SendAsync(HttpMethod.Get, ConfigMaps);

        failed.Should().Be(500);
        ((string?)status["reason"]).Should().Be("InternalError");
        (await Http.SendAsync(HttpMethod.Get, ConfigMaps)).Code.Should().Be(200);
        (await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/fail?count=1&code=302")).Code.Should().Be(400);
    }

    [Test]
    public async Task CloseWatches_EndsEveryOpenStream()
    {
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&resourceVersion={Sim.Server.Store.ResourceVersion}");
        await WaitForWatchesAsync(1);

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/close-watches");

        code.Should().Be(200);
        ((int?)body["closed"]).Should().BeGreaterThanOrEqualTo(1);
        (await watch.NextAsync()).Should().BeNull();
    }

    [Test]
    public async Task StallWatches_HoldsEventsWithoutClosing_UntilReleased()
    {
        var start = Sim.Server.Store.ResourceVersion;
        using var watch = await Http.WatchAsync($"{ConfigMaps}?watch=true&resourceVersion={start}");
        await WaitForWatchesAsync(1);
        Sim.Server.Faults.StallWatches(true);

        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "held-back"));
        var pending = watch.NextAsync(30);
        await Task.Delay(300);
        pending.IsCompleted.Should().BeFalse("the watch is stalled");
        Sim.Server.Faults.StallWatches(false);

        ((string?)(await pending)!["object"]!["metadata"]!["name"]).Should().Be("held-back");
    }

    [Test]
    public async Task Compact_ExpiresOlderResourceVersionsForLists()
    {
        var old = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "a"));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "b"));
        (await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/compact")).Code.Should().Be(200);

        var (code, body, _) = await Http.SendAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={Rv(old)}&resourceVersionMatch=Exact");

        code.Should().Be(410);
        ((string?)body["reason"]).Should().Be("Expired");
    }

    [Test]
    public async Task Latency_DelaysRequestsButTheyStillSucceed()
    {
        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/latency?milliseconds=50");
        code.Should().Be(200);
        ((int?)body["latencyMilliseconds"]).Should().Be(50);
        Sim.Server.Faults.Latency.Should().Be(TimeSpan.FromMilliseconds(50));

        (await Http.SendAsync(HttpMethod.Get, ConfigMaps)).Code.Should().Be(200);
        (await Http.SendAsync(HttpMethod.Post, "/kubesim/faults/clear")).Code.Should().Be(200);
        Sim.Server.Faults.Latency.Should().Be(TimeSpan.Zero);
    }

    private async Task WaitForWatchesAsync(int count)
    {
        for (var i = 0; i < 200 && Sim.Server.Store.WatchCount < count; i++)
        {
            await Task.Delay(10);
        }

        Sim.Server.Store.WatchCount.Should().BeGreaterThanOrEqualTo(count);
    }

    [Test]
    public async Task Stats_ReportTheResourceVersion()
    {
        var stats = await Http.GetAsync("/kubesim/stats");

        ((string?)stats["resourceVersion"]).Should().Be(Sim.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ((int?)stats["watches"]).Should().Be(Sim.Server.Store.WatchCount);
    }
}
