using GitOpsReverser.Capture;

namespace GitOpsReverser.UnitTests.Capture;

public sealed class ResourceCacheTests
{
    [Test]
    public void SameSanitizedOutput_IsUnchanged_WhateverTheResourceVersion()
    {
        var cache = new ResourceCache();
        var uid = Guid.NewGuid();

        cache.Observe("namespaces/a/ConfigMap/x.yaml", uid, 1, "data: 1\n"u8).Should().BeTrue("new");
        cache.Observe("namespaces/a/ConfigMap/x.yaml", uid, 2, "data: 1\n"u8).Should().BeFalse("only the resourceVersion moved");
        cache.Observe("namespaces/a/ConfigMap/x.yaml", uid, 3, "data: 2\n"u8).Should().BeTrue("the content changed");

        cache.TryGet("namespaces/a/ConfigMap/x.yaml", out var seenUid, out var version).Should().BeTrue();
        (seenUid, version).Should().Be((uid, 3L));
        cache.Remove("namespaces/a/ConfigMap/x.yaml").Should().BeTrue();
        cache.Remove("namespaces/a/ConfigMap/x.yaml").Should().BeFalse();
        cache.Count.Should().Be(0);
    }
}
