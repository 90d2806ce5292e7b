using GitOpsReverser.Manifests;

namespace GitOpsReverser.TestSupport;

internal static class Manifest
{
    public static MappingNode Yaml(string yaml) => (MappingNode)YamlManifestReader.ReadDocuments(yaml).Single();

    public static MappingNode Golden(string caseName) =>
        ManifestReader.ReadObjects(File.ReadAllText(Testdata.InputPath(caseName))).First().Manifest!;

    public static IEnumerable<MappingNode> GoldenObjects(string caseName) =>
        ManifestReader.ReadObjects(File.ReadAllText(Testdata.InputPath(caseName))).Select(o => o.Manifest!);
}
