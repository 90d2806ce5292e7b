using LibGit2Sharp;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>How a <see cref="BackgroundPush"/> ended: <paramref name="Commits"/> commits up to <paramref name="Commit"/> pushed, or the failure.</summary>
internal sealed record PushOutcome(ObjectId Commit, int Commits, TimeSpan Duration, Exception? Failure);
