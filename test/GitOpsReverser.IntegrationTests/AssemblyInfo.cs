// Fixtures run two at a time (each starts its own KubeSim, servers, temp folders and ports); the tests of one
// fixture one after another. A fixture that measures throughput or shares a server runs alone ([NonParallelizable]).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
