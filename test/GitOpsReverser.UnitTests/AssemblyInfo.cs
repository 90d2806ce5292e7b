// Unit tests share nothing but the process: every fixture may run beside any other.
[assembly: Parallelizable(ParallelScope.Fixtures)]
