using BenchmarkDotNet.Running;
using GitOpsReverser.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(SanitizeBenchmarks).Assembly).Run(args);
