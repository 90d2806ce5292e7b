using GitOpsReverser.Git.Transport;
namespace GitOpsReverser.UnitTests.Git;

public sealed class PushRejectionTests
{
    [TestCase("non-fast-forward", "", "NonFastForward")]
    [TestCase("fetch first", "", "NonFastForward")]
    [TestCase("stale info", "", "NonFastForward")]
    // What git receive-pack answers when another push updated the branch between its check and its write.
    [TestCase("failed to update ref", "error: cannot lock ref 'refs/heads/main': is at 1a2b but expected 3c4d", "NonFastForward")]
    [TestCase("failed to update ref", "error: unable to write ref: No space left on device", "Transient")]
    [TestCase("failed to lock", "", "Transient")]
    [TestCase("pre-receive hook declined", "remote: protected branch", "Rejected")]
    public void Classify_TellsAMovedBranchFromALockFromARefusal(string reason, string messages, string expected) =>
        PushRejection.Classify(reason, messages).ToString().Should().Be(expected);
}
