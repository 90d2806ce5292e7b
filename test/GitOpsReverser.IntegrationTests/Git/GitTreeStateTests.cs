using GitOpsReverser.Git.Clone;
using LibGit2Sharp;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>Trees written byte for byte must be trees git itself accepts: checked with git fsck and ls-tree.</summary>
[Category("Integration")]
public sealed class GitTreeStateTests
{
    [Test]
    public void RandomEdits_ProduceTheSameFilesAsAModel_AndTreesGitFsckAccepts()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("repo.git");
        Repository.Init(path, isBare: true);
        using var repository = new Repository(path);
        var random = new Random(7);
        // Names that sort differently as files and as folders ('a' vs 'a.b' vs 'a-b'), and nesting.
        string[] names = ["a", "a.b", "a-b", "a0", "b", "Z", "long-name.yaml"];
        var model = new Dictionary<string, string>(StringComparer.Ordinal);
        var state = GitTreeState.For(repository, treeId: null);
        Commit? head = null;
        for (var step = 0; step < 300; step++)
        {
            var depth = random.Next(1, 4);
            var filePath = string.Join('/', Enumerable.Range(0, depth).Select(_ => names[random.Next(names.Length)]));
            if (random.Next(4) == 0)
            {
                var existing = model.Keys.ElementAtOrDefault(random.Next(Math.Max(1, model.Count)));
                if (existing is not null)
                {
                    state.Remove(existing).Should().BeTrue();
                    model.Remove(existing);
                }
            }
            else
            {
                // A file where a folder was (or the reverse) replaces it, as writing the file would.
                foreach (var clash in model.Keys.Where(key => key.StartsWith(filePath + "/", StringComparison.Ordinal)
                    || filePath.StartsWith(key + "/", StringComparison.Ordinal)).ToList())
                {
                    state.Remove(clash);
                    model.Remove(clash);
                }

                var content = $"step {step}\n";
                state.Set(filePath, repository.ObjectDatabase.Write<Blob>(System.Text.Encoding.UTF8.GetBytes(content)));
                model[filePath] = content;
            }

            if (step % 50 == 49)
            {
                var tree = repository.Lookup<Tree>(state.Write());
                tree.Should().NotBeNull("the tree object must be readable by libgit2");
                var signature = new Signature("t", "t@example.com", DateTimeOffset.UnixEpoch.AddDays(step));
                head = repository.ObjectDatabase.CreateCommit(signature, signature, $"step {step}", tree, head is null ? [] : [head], false);
                repository.Refs.Add("refs/heads/main", head.Id, allowOverwrite: true);
                GitTreeState.For(repository, tree.Id).Files().Order(StringComparer.Ordinal).Should().Equal(model.Keys.Order(StringComparer.Ordinal));
            }
        }

        // Updates only: ids are patched into the serialized folders, written after every step.
        var files = model.Keys.ToList();
        for (var step = 0; step < 100; step++)
        {
            var file = files[random.Next(files.Count)];
            var content = $"update {step}\n";
            state.Set(file, repository.ObjectDatabase.Write<Blob>(System.Text.Encoding.UTF8.GetBytes(content)));
            model[file] = content;
            var tree = repository.Lookup<Tree>(state.Write());
            var signature = new Signature("t", "t@example.com", DateTimeOffset.UnixEpoch.AddDays(1000 + step));
            head = repository.ObjectDatabase.CreateCommit(signature, signature, $"update {step}", tree, [head!], false);
        }

        repository.Refs.Add("refs/heads/main", head!.Id, allowOverwrite: true);
        GitCli.Run(path, "fsck", "--strict", "--no-dangling");
        GitCli.Files(path).Order(StringComparer.Ordinal).Should().Equal(model.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, content) in model)
        {
            GitCli.Show(path, "main", file).Should().Be(content);
        }
    }
}
