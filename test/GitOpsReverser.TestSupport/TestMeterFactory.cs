using System.Diagnostics.Metrics;

namespace GitOpsReverser.TestSupport;

/// <summary>A meter factory for tests: meters it creates can be observed with a MeterListener.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (meters)
        {
            meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (meters)
        {
            meters.ForEach(meter => meter.Dispose());
        }
    }
}
