using BenchmarkDotNet.Running;
using GitOpsReverser.Benchmarks;

// `commits`, `cache`, `operator` and `attribution` run bench commands; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "commits")
{
    return CommitBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "operator")
{
    return await OperatorBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "attribution")
{
    return await OperatorBench.RunAttributionAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "cache")
{
    return CacheBench.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(SanitizeBenchmarks).Assembly).Run(args);
return 0;
