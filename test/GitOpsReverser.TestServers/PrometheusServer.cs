using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOpsReverser.TestServers;

/// <summary>
/// A real Prometheus on 127.0.0.1 (Debian's <c>prometheus</c>, 2.42) scraping the given targets every
/// second as the job <c>gitops-reverser</c>, with its data in a folder of its own; queried through its
/// HTTP API. Stopped by process id.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    private readonly TempDirectory directory = new("prometheus-");
    private readonly Process prometheus;
    private readonly HttpClient http;

    public PrometheusServer(params string[] targets)
    {
        Port = LoopbackPorts.Free();
        var config = directory.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global: {"{"}scrape_interval: 1s, evaluation_interval: 1s{"}"}
            scrape_configs:
              - job_name: gitops-reverser
                static_configs: [{"{"}targets: [{string.Join(", ", targets.Select(target => $"'{target}'"))}]{"}"}]
            """);
        prometheus = ProcessGroup.Start("/usr/bin/prometheus", $"--config.file={config}", $"--storage.tsdb.path={directory.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(10) };
        // The port opens before the storage is: ready is what /-/ready says.
        ProcessGroup.WaitFor(() => LoopbackPorts.Accepts(Port) && IsReady(), $"prometheus on port {Port}");
    }

    private bool IsReady()
    {
        try
        {
            using var response = http.GetAsync("-/ready").GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public int Port { get; }

    /// <summary>An instant query's result vector (<c>/api/v1/query</c>); throws with Prometheus's error for a bad expression.</summary>
    public async Task<JsonArray> QueryAsync(string expression)
    {
        using var response = await http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(expression)}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (string?)body["status"] == "success"
            ? body["data"]?["result"] as JsonArray ?? []
            : throw new InvalidOperationException($"{expression}: {(string?)body["error"]}");
    }

    public void Dispose()
    {
        http.Dispose();
        ProcessGroup.Stop(prometheus);
        directory.Dispose();
    }
}
