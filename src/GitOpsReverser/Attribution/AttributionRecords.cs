namespace GitOpsReverser.Attribution;

/// <summary>What the attribution webhook saw of one admitted write: who wrote which content of which object.</summary>
/// <param name="Key">The object: <see cref="AttributionRecords.KeyOf"/>.</param>
/// <param name="Operation"><c>CREATE</c>, <c>UPDATE</c> or <c>DELETE</c>.</param>
/// <param name="ContentHash">The <see cref="Sanitizing.ContentHash"/> of the sanitized object written (0 for a DELETE).</param>
/// <param name="User">The request's <c>userInfo.username</c>, verbatim.</param>
/// <param name="Groups">The request's <c>userInfo.groups</c>.</param>
/// <param name="RequestUid">The admission request's uid.</param>
/// <param name="At">When the webhook saw it.</param>
internal sealed record AttributionRecord(string Key, string Operation, ulong ContentHash, string User, IReadOnlyList<string> Groups, string RequestUid, DateTimeOffset At)
{
    // The captures (repositories) that already credited this record: each credits a record once.
    internal HashSet<object> CreditedBy { get; } = [];

    /// <summary>About what the record takes in memory: its strings (two bytes a character) and the objects around them.</summary>
    public long Bytes { get; } = 2L * (Key.Length + Operation.Length + User.Length + RequestUid.Length + Groups.Sum(group => group.Length))
        + 200 + 32L * Groups.Count;
}

/// <summary>
/// The attribution webhook's records, in memory only and bounded by count, bytes and age (expired on a timer,
/// not only when the next request comes): resource identity, operation, user, groups, request uid and the hash
/// of the sanitized object, never the object.
/// A watch event is credited to the oldest record of its object whose content hash is the event's
/// (a DELETE to the oldest DELETE record), once per repository; so two users changing one object in
/// quick succession are each credited with their own change, and a status-only write, which changes
/// no sanitized content, never takes a record.
/// </summary>
internal sealed class AttributionRecords : IDisposable
{
    public const int DefaultMaxRecords = 50_000;
    public const long DefaultMaxBytes = 32L * 1024 * 1024;
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(5);

    /// <summary>How often records past their age are dropped, whether or not requests arrive.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, List<AttributionRecord>> byKey = new(StringComparer.Ordinal);
    private readonly Queue<AttributionRecord> inOrder = new();
    private readonly TimeProvider time;
    private readonly int maxRecords;
    private readonly long maxBytes;
    private readonly TimeSpan maxAge;
    private readonly Lock gate = new();
    private readonly ITimer sweep;
    private long bytes;

    public AttributionRecords(TimeProvider time, int maxRecords = DefaultMaxRecords, TimeSpan? maxAge = null, long maxBytes = DefaultMaxBytes)
    {
        this.time = time;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge ?? DefaultMaxAge;
        sweep = time.CreateTimer(_ =>
        {
            lock (gate)
            {
                Expire();
            }
        }, null, SweepInterval, SweepInterval);
    }

    /// <summary>What the records take, by <see cref="AttributionRecord.Bytes"/>.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>The operator's own username: its writes are never recorded.</summary>
    public string? IgnoredUser { get; set; }

    /// <summary>Records dropped because there were too many, took too many bytes, or grew too old unmatched.</summary>
    public long DroppedForCount { get; private set; }

    public long DroppedForBytes { get; private set; }

    public long DroppedForAge { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return inOrder.Count;
            }
        }
    }

    /// <summary>The key of an object across its API versions: group, kind, namespace and name.</summary>
    public static string KeyOf(string group, string kind, string? ns, string name) => $"{group}/{kind}/{ns}/{name}";

    public void Add(AttributionRecord record)
    {
        lock (gate)
        {
            Expire();
            while (inOrder.Count >= maxRecords && inOrder.TryDequeue(out var oldest))
            {
                Forget(oldest);
                DroppedForCount++;
            }

            while (bytes + record.Bytes > maxBytes && inOrder.TryDequeue(out var oldest))
            {
                Forget(oldest);
                DroppedForBytes++;
            }

            if (record.Bytes > maxBytes)
            {
                DroppedForBytes++;
                return;
            }

            inOrder.Enqueue(record);
            bytes += record.Bytes;
            if (!byKey.TryGetValue(record.Key, out var records))
            {
                byKey[record.Key] = records = [];
            }

            records.Add(record);
        }
    }

    /// <summary>The record that wrote <paramref name="contentHash"/> to <paramref name="key"/>, for <paramref name="capture"/>; null when none did.</summary>
    public AttributionRecord? Credit(object capture, string key, ulong contentHash) =>
        Credit(capture, key, record => record.Operation != "DELETE" && record.ContentHash == contentHash);

    /// <summary>
    /// As <see cref="Credit(object, string, ulong)"/>, computing the content hash only when a record names the object:
    /// most events (every object of a first list) have none, and the hash may mean sanitizing the object again.
    /// </summary>
    public AttributionRecord? Credit(object capture, string key, Func<ulong> contentHash)
    {
        lock (gate)
        {
            if (!byKey.ContainsKey(key))
            {
                return null;
            }
        }

        return Credit(capture, key, contentHash());
    }

    /// <summary>The record that deleted <paramref name="key"/>, for <paramref name="capture"/>; null when none did.</summary>
    public AttributionRecord? CreditDelete(object capture, string key) =>
        Credit(capture, key, record => record.Operation == "DELETE");

    private AttributionRecord? Credit(object capture, string key, Func<AttributionRecord, bool> matches)
    {
        lock (gate)
        {
            Expire();
            if (!byKey.TryGetValue(key, out var records))
            {
                return null;
            }

            var found = records.FirstOrDefault(record => matches(record) && !record.CreditedBy.Contains(capture));
            found?.CreditedBy.Add(capture);
            return found;
        }
    }

    private void Expire()
    {
        var oldestKept = time.GetUtcNow() - maxAge;
        while (inOrder.TryPeek(out var oldest) && oldest.At < oldestKept)
        {
            inOrder.Dequeue();
            Forget(oldest);
            DroppedForAge += oldest.CreditedBy.Count == 0 ? 1 : 0;
        }
    }

    public void Dispose() => sweep.Dispose();

    private void Forget(AttributionRecord record)
    {
        bytes -= record.Bytes;
        if (byKey.TryGetValue(record.Key, out var records) && records.Remove(record) && records.Count == 0)
        {
            byKey.Remove(record.Key);
        }
    }
}
