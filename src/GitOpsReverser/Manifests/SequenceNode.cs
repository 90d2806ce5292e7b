namespace GitOpsReverser.Manifests;

internal sealed class SequenceNode : ManifestNode
{
    public SequenceNode()
    {
    }

    public SequenceNode(IEnumerable<ManifestNode> items) => Items.AddRange(items);

    public List<ManifestNode> Items { get; } = [];

    public int Count => Items.Count;

    public override ManifestNode DeepClone() => new SequenceNode(Items.Select(item => item.DeepClone()));

    public override bool DeepEquals(ManifestNode? other)
    {
        if (other is not SequenceNode sequence || sequence.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!Items[i].DeepEquals(sequence.Items[i]))
            {
                return false;
            }
        }

        return true;
    }
}
