using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GitOpsReverser.KubeSim.Hosting;

// KubeSim scale bench: N ConfigMaps written over HTTPS by C concurrent writers while W watchers
// receive every event; then paged and unpaged lists of everything. Prints the figures README.md quotes.
//   dotnet run -c Release --project test/GitOpsReverser.KubeSim.Benchmarks -- [--objects 100000] [--writers 16] [--watchers 20]
var objects = Option("--objects", 100_000);
var writers = Option("--writers", 16);
var watcherCount = Option("--watchers", 20);
const int Namespaces = 100;

await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { HistoryLimit = objects * 2 });
using var client = CreateClient(server);

for (var i = 0; i < Namespaces; i++)
{
    await Send(HttpMethod.Post, "/api/v1/namespaces", $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"ns-{i}\"}}}}");
}

var startVersion = server.Store.ResourceVersion;
var received = new long[watcherCount];
using var stopWatchers = new CancellationTokenSource();
var watchers = Enumerable.Range(0, watcherCount).Select(index => Task.Run(async () =>
{
    using var response = await client.GetAsync($"/api/v1/configmaps?watch=true&resourceVersion={startVersion}",
        HttpCompletionOption.ResponseHeadersRead, stopWatchers.Token);
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stopWatchers.Token));
    try
    {
        while (await reader.ReadLineAsync(stopWatchers.Token) is not null)
        {
            if (Interlocked.Increment(ref received[index]) == objects)
            {
                return;
            }
        }
    }
    catch (OperationCanceledException)
    {
        // Stopped at the end of the run.
    }
})).ToList();
while (server.Store.WatchCount < watcherCount)
{
    await Task.Delay(10);
}

var data = new string('x', 512);
var next = -1;
var writeClock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < objects)
    {
        var ns = $"ns-{i % Namespaces}";
        await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"cm-{i}\",\"labels\":{{\"app\":\"bench\"}}}},\"data\":{{\"payload\":\"{data}\"}}}}");
    }
})));
var writeSeconds = writeClock.Elapsed.TotalSeconds;
var drained = Task.WhenAll(watchers);
await Task.WhenAny(drained, Task.Delay(TimeSpan.FromMinutes(5)));
var deliverSeconds = writeClock.Elapsed.TotalSeconds;
await stopWatchers.CancelAsync();
var delivered = received.Sum();

var listClock = Stopwatch.StartNew();
var paged = 0;
string? token = null;
do
{
    var page = await GetJson($"/api/v1/configmaps?limit=500{(token is null ? "" : "&continue=" + token)}");
    paged += page.RootElement.GetProperty("items").GetArrayLength();
    token = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var value) ? value.GetString() : null;
}
while (token is not null);
var pagedSeconds = listClock.Elapsed.TotalSeconds;
listClock.Restart();
var all = (await GetJson("/api/v1/configmaps")).RootElement.GetProperty("items").GetArrayLength();
var unpagedSeconds = listClock.Elapsed.TotalSeconds;
GC.Collect();
var heapMb = GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    KubeSim bench: {objects:N0} ConfigMaps (512-byte payload) in {Namespaces} namespaces, {writers} writers, {watcherCount} watchers, HTTPS
    writes:            {objects / writeSeconds:N0} creates/s ({writeSeconds:N1} s)
    watch delivery:    {delivered:N0} of {(long)objects * watcherCount:N0} events, {delivered / deliverSeconds:N0} events/s ({deliverSeconds:N1} s from the first write)
    paged list:        {paged:N0} objects in pages of 500 in {pagedSeconds:N2} s ({paged / pagedSeconds:N0} objects/s)
    unpaged list:      {all:N0} objects in {unpagedSeconds:N2} s
    managed heap:      {heapMb:N0} MB after the run ({heapMb * 1024 * 1024 / objects:N0} B per object, history included)
    """));
return delivered == (long)objects * watcherCount && paged == objects && all == objects ? 0 : 1;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task Send(HttpMethod method, string path, string body)
{
    using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    using var response = await client.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

async Task<System.Text.Json.JsonDocument> GetJson(string path)
{
    using var response = await client.GetAsync(path);
    response.EnsureSuccessStatusCode();
    return await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
}

static HttpClient CreateClient(KubeSimServer server)
{
    var handler = server.CreateClientHandler();
    var client = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(5) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Authenticator.DefaultToken);
    return client;
}
