using GitOpsReverser.CrdGen;

// gitops-reverser-crdgen [REPOSITORY_ROOT]: writes the CRDs and the reference pages' field tables (docs/spec/v1alpha1/) the typed API generates.
var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var changed = 0;
foreach (var (path, content) in GeneratedFiles.For(root))
{
    var full = Path.Combine(root, path);
    if (!File.Exists(full) || File.ReadAllText(full) != content)
    {
        File.WriteAllText(full, content);
        Console.WriteLine($"wrote {path}");
        changed++;
    }
}

Console.WriteLine(changed == 0 ? "generated files are current" : $"{changed} file(s) written");
