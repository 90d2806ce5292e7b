using GitOpsReverser.Attribution;
using Microsoft.Extensions.Time.Testing;

namespace GitOpsReverser.UnitTests.Attribution;

/// <summary>How watch events are credited to admission records: by content, in order, once per repository, bounded.</summary>
public sealed class AttributionRecordsTests
{
    private static readonly string Key = AttributionRecords.KeyOf("", "ConfigMap", "apps", "settings");
    private readonly object repository = new();
    private readonly object otherRepository = new();

    private static AttributionRecord Record(string user, ulong hash, string operation = "UPDATE", DateTimeOffset? at = null, string? key = null) =>
        new(key ?? Key, operation, hash, user, ["developers"], Guid.NewGuid().ToString(), at ?? DateTimeOffset.UnixEpoch);

    [Test]
    public void AnEvent_IsCreditedToTheRecordOfItsContent_OldestFirst_OncePerRepository()
    {
        var records = new AttributionRecords(new ManualTime(DateTimeOffset.UnixEpoch));
        records.Add(Record("alice", 1));
        records.Add(Record("bob", 2));
        records.Add(Record("carol", 1));

        records.Credit(repository, Key, 1)!.User.Should().Be("alice");
        records.Credit(repository, Key, 2)!.User.Should().Be("bob");
        records.Credit(repository, Key, 1)!.User.Should().Be("carol", "alice's record was credited already");
        records.Credit(repository, Key, 1).Should().BeNull();
        records.Credit(otherRepository, Key, 1)!.User.Should().Be("alice", "another repository credits the same change on its own");
        records.Credit(repository, Key, 3).Should().BeNull("content nobody was seen writing (a controller, a status write) is not credited");
        records.Credit(repository, AttributionRecords.KeyOf("", "ConfigMap", "apps", "other"), 2).Should().BeNull();
    }

    [Test]
    public void ADeletion_IsCreditedToTheDeleteRecordOnly()
    {
        var records = new AttributionRecords(new ManualTime(DateTimeOffset.UnixEpoch));
        records.Add(Record("alice", 7));
        records.Add(Record("bob", 0, "DELETE"));

        records.CreditDelete(repository, Key)!.User.Should().Be("bob");
        records.Credit(repository, Key, 0).Should().BeNull("a DELETE record never credits a write");
    }

    [Test]
    public void Records_AreBoundedByCountAndAge()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var records = new AttributionRecords(time, maxRecords: 3, maxAge: TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            records.Add(Record($"u{i}", (ulong)i, at: time.GetUtcNow()));
        }

        records.Count.Should().Be(3);
        records.DroppedForCount.Should().Be(2);
        records.Credit(repository, Key, 0).Should().BeNull("the oldest records made room");

        time.Advance(TimeSpan.FromMinutes(2));
        records.Credit(repository, Key, 4).Should().BeNull("records older than the age bound are gone");
        records.Count.Should().Be(0);
        records.DroppedForAge.Should().Be(3);
    }

    [Test]
    public void Records_AreBoundedInBytes_OldestGoFirst_AndOneTooLargeIsNeverKept()
    {
        using var records = new AttributionRecords(new ManualTime(DateTimeOffset.UnixEpoch), maxBytes: 64 * 1024);
        for (var i = 0; i < 10; i++)
        {
            records.Add(Record(new string('u', 10_000) + i, (ulong)i));
        }

        records.Bytes.Should().BeLessThanOrEqualTo(64 * 1024);
        records.Count.Should().Be(3, "each record of a 10,000-character user takes about 20 KB");
        records.DroppedForBytes.Should().Be(7);
        records.Credit(repository, Key, 9)!.User.Should().EndWith("9", "the newest are kept");

        records.Add(Record(new string('u', 40_000), 42));
        records.Credit(repository, Key, 42).Should().BeNull("a record larger than the bound is not kept");
        records.Bytes.Should().BeLessThanOrEqualTo(64 * 1024);
    }

    [Test]
    public void Records_Expire_OnATimer_WithoutAnotherRequest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var records = new AttributionRecords(time, maxAge: TimeSpan.FromMinutes(5));
        records.Add(Record("alice", 1, at: time.GetUtcNow()));
        records.Count.Should().Be(1);

        time.Advance(TimeSpan.FromMinutes(5) + AttributionRecords.SweepInterval);

        records.Count.Should().Be(0, "the sweep dropped the record without any Add or Credit");
        records.Bytes.Should().Be(0);
        records.DroppedForAge.Should().Be(1);
    }
}
