using System.Text;
using GitOpsReverser.Git;

namespace GitOpsReverser.Tests.Git;

public sealed class RawTreeTests
{
    [Test]
    public void Changes_RandomEditsOfRandomFolders_AreWhatAFullComparisonFinds()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var parent = RandomFolder(random, random.Next(0, 60));
            var tree = new Dictionary<(string, bool), byte[]>(parent);
            foreach (var key in parent.Keys.Where(_ => random.Next(10) == 0).ToList())
            {
                tree.Remove(key);
            }

            foreach (var key in tree.Keys.Where(_ => random.Next(8) == 0).ToList())
            {
                tree[key] = Id(random);
            }

            foreach (var (key, id) in RandomFolder(random, random.Next(0, 4)))
            {
                tree[key] = id;
            }

            var expected = tree
                .Where(pair => !parent.TryGetValue(pair.Key, out var before) || !before.SequenceEqual(pair.Value))
                .Select(pair => (Convert.ToHexString(pair.Value), pair.Key.Item2, parent.TryGetValue(pair.Key, out var before) ? Convert.ToHexString(before) : null))
                .OrderBy(change => change.Item1, StringComparer.Ordinal)
                .ToList();

            var changes = RawTree.Changes(Serialize(tree), Serialize(parent))
                .Select(change => (Convert.ToHexString(change.Entry.Id), change.Entry.IsTree, change.Old is { } old ? Convert.ToHexString(old.Id) : null))
                .OrderBy(change => change.Item1, StringComparer.Ordinal)
                .ToList();

            changes.Should().Equal(expected, $"round {round}");
        }
    }

    [Test]
    public void Changes_AFileBecomesAFolderOfTheSameName_IsAnAddedFolderWithNoPreviousVersion()
    {
        var file = new Dictionary<(string, bool), byte[]> { [("a", false)] = Id(new Random(1)), [("b", false)] = Id(new Random(2)) };
        var folder = new Dictionary<(string, bool), byte[]> { [("a", true)] = Id(new Random(3)), [("b", false)] = file[("b", false)] };

        var changes = RawTree.Changes(Serialize(folder), Serialize(file));

        changes.Should().ContainSingle();
        changes[0].Entry.IsTree.Should().BeTrue();
        changes[0].Old.Should().BeNull();
    }

    // Names that share beginnings, with '.', '-' and digits around where git's folder-as-'/' order matters.
    private static Dictionary<(string, bool), byte[]> RandomFolder(Random random, int count)
    {
        var folder = new Dictionary<(string, bool), byte[]>();
        for (var i = 0; i < count; i++)
        {
            var name = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => "ab.-0"[random.Next(5)]));
            var isTree = random.Next(3) == 0;
            if (!folder.ContainsKey((name, !isTree)))
            {
                folder[(name, isTree)] = Id(random);
            }
        }

        return folder;
    }

    private static byte[] Serialize(Dictionary<(string Name, bool IsTree), byte[]> folder)
    {
        var bytes = new MemoryStream();
        foreach (var ((name, isTree), id) in folder.OrderBy(pair => pair.Key.IsTree ? pair.Key.Name + "/" : pair.Key.Name, StringComparer.Ordinal))
        {
            bytes.Write(Encoding.ASCII.GetBytes($"{(isTree ? "40000" : "100644")} {name}\0"));
            bytes.Write(id);
        }

        return bytes.ToArray();
    }

    private static byte[] Id(Random random)
    {
        var id = new byte[20];
        random.NextBytes(id);
        return id;
    }
}
