using GitOpsReverser.Git.Transport;
using LibGit2Sharp;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>
/// <see cref="GitRemote.Push"/> through libgit2 to a local bare repository (HTTP and SSH, with hooks:
/// <see cref="HttpRemoteTests"/>, <see cref="SshRemoteTests"/>); <c>fsck --strict</c> runs on the remote
/// after every push.
/// </summary>
[Category("Integration")]
public sealed class GitRemotePushTests
{
    [Test]
    public void Push_EditsAddsRemovalsAndTypeChanges_RemoteEqualsTheClone()
    {
        using var temp = new TempDirectory();
        var remote = GitCli.InitBare(temp.Combine("remote.git"));
        var work = temp.Combine("work");
        GitCli.Run(temp.Path, "init", "--quiet", "--initial-branch=main", work);
        var push = new GitRemote(remote, GitCredentials.None);

        Write(work, "ns-a/configmaps/one.yaml", Text(2000, 'a'));
        Write(work, "ns-a/configmaps/two.yaml", Text(300, 'b'));
        Write(work, "ns-b/secrets/three.yaml", Text(70_000, 'c'));
        Write(work, "top.yaml", "top\n");
        Commit(work, "first");
        Push(push, work);
        Check(remote, work);

        // Several commits in one push: an edit in a folder, a large file changed at its end, a new
        // folder, a removal, and a file and a folder swapping places.
        Write(work, "ns-a/configmaps/one.yaml", Text(2000, 'a').Replace("aaaa\n", "edit\n", StringComparison.Ordinal));
        Commit(work, "edit");
        Write(work, "ns-b/secrets/three.yaml", Text(70_000, 'c') + "appended\n");
        Write(work, "ns-c/configmaps/new.yaml", "new\n");
        Commit(work, "append and add");
        File.Delete(Path.Combine(work, "ns-a/configmaps/two.yaml"));
        File.Delete(Path.Combine(work, "top.yaml"));
        Write(work, "top.yaml/inside.yaml", "a file where a file was\n");
        Commit(work, "remove and swap");
        Push(push, work);

        Check(remote, work);
        GitCli.Log(remote).Should().Equal("remove and swap", "append and add", "edit", "first");
        Push(push, work);
        GitCli.Log(remote).Should().HaveCount(4, "a push of the commit the remote branch is at changes nothing");
    }

    [Test]
    public void Push_RemoteBranchHasOtherCommits_IsNonFastForwardAndChangesNothing()
    {
        using var temp = new TempDirectory();
        var remote = GitCli.InitBare(temp.Combine("remote.git"));
        var work = temp.Combine("work");
        GitCli.Run(temp.Path, "init", "--quiet", "--initial-branch=main", work);
        Write(work, "a.yaml", "a\n");
        Commit(work, "first");
        var push = new GitRemote(remote, GitCredentials.None);
        Push(push, work);

        var other = temp.Combine("other");
        GitCli.Run(temp.Path, "clone", "--quiet", remote, other);
        Write(other, "b.yaml", "from elsewhere\n");
        Commit(other, "elsewhere");
        GitCli.Run(other, "push", "--quiet", "origin", "main");
        var remoteHead = GitCli.Run(remote, "rev-parse", "main");
        Write(work, "c.yaml", "c\n");
        Commit(work, "mine");

        var failure = FluentActions.Invoking(() => Push(push, work)).Should().Throw<GitRemoteException>().Which;

        failure.Kind.Should().Be(GitFailureKind.NonFastForward);
        GitCli.Run(remote, "rev-parse", "main").Should().Be(remoteHead);
    }

    [Test]
    public void Push_ToAPathWithNoRepository_IsAConfigurationFailure()
    {
        using var temp = new TempDirectory();
        var work = temp.Combine("work");
        GitCli.Run(temp.Path, "init", "--quiet", "--initial-branch=main", work);
        Write(work, "a.yaml", "a\n");
        Commit(work, "first");

        var failure = FluentActions.Invoking(() => Push(new GitRemote(temp.Combine("missing.git"), GitCredentials.None), work))
            .Should().Throw<GitRemoteException>().Which;

        failure.Kind.Should().Be(GitFailureKind.Configuration);
        failure.Message.Should().Contain("does not appear to be a git repository");
    }

    private static void Push(GitRemote remote, string work)
    {
        using var repository = new Repository(work);
        if (repository.Network.Remotes[GitRemote.RemoteName] is null)
        {
            repository.Network.Remotes.Add(GitRemote.RemoteName, remote.Url);
        }

        remote.Push(repository, repository.Head.Tip.Id, "main");
    }

    // The remote's branch is the work tree's, every file has the same bytes, and git finds nothing wrong.
    private static void Check(string remote, string work)
    {
        GitCli.Run(remote, "rev-parse", "main").Should().Be(GitCli.Run(work, "rev-parse", "main"));
        GitCli.Run(remote, "fsck", "--strict", "--no-dangling");
        GitCli.Run(remote, "ls-tree", "-r", "main").Should().Be(GitCli.Run(work, "ls-tree", "-r", "main"));
    }

    private static void Write(string work, string path, string content)
    {
        var file = Path.Combine(work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }

    private static void Commit(string work, string message)
    {
        GitCli.Run(work, "add", "--all");
        GitCli.Run(work, "commit", "--quiet", "-m", message);
    }

    private static string Text(int length, char letter) =>
        string.Concat(Enumerable.Range(0, length / 5).Select(i => i % 7 == 0 ? $"{i % 10000:D4}\n" : new string(letter, 4) + "\n"));
}
