using System.Globalization;
using System.Text;
using GitOpsReverser.Capture;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// Memory per tracked object in the ResourceCache, with realistic repository paths as keys:
///   dotnet run -c Release --project test/GitOpsReverser.Benchmarks -- cache [--objects 100000]
/// </summary>
internal static class CacheBench
{
    public static int Run(string[] args)
    {
        var index = Array.IndexOf(args, "--objects");
        var objects = index >= 0 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 100_000;
        var content = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\ndata:\n  key: value\n");
        var keys = Enumerable.Range(0, objects).Select(i => $"namespaces/team-{i % 100:D3}/ConfigMap/app-config-{i:D6}.yaml").ToArray();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new ResourceCache();
        for (var i = 0; i < objects; i++)
        {
            cache.Observe(keys[i], Guid.NewGuid(), i, content);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(cache);
        var keyBytes = keys.Sum(key => 22 + (2 * key.Length));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ResourceCache: {objects:N0} objects, {(after - before) / (double)objects:F0} B per object for the table, plus {keyBytes / (double)objects:F0} B per key string (a {keys[0].Length}-character path) if the cache holds the only copy"));
        return 0;
    }
}
