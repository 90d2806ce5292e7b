using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.IntegrationTests.Sanitizing;

/// <summary>
/// Canonical YAML is read back by other people's readers whatever its keys hold: PyYAML (Debian's), and kubectl
/// (<c>kubectl create -f</c> of the file, against KubeSim, with a CRD that keeps unknown fields). A key over
/// YAML's 1,024-character limit for implicit keys, as a custom resource may have, is an explicit key.
/// </summary>
[Category("Integration")]
public sealed class CanonicalYamlReadersTests
{
    private const string PyYaml = "/usr/bin/python3";

    private static readonly string[] Keys =
    [
        new('k', 100), new('k', 129), new('k', 1024), new('k', 1025), new('x', 5000),
        "with: a colon", "#not-a-comment", "quote\"d", "- dash", "ünïcödé", "multi\nline", new string('é', 700) + ": " + new string('q', 700),
    ];

    [Test]
    public async Task Write_KeysOfAnyLength_ReadBackWithPyYamlAndKubectl()
    {
        var spec = new MappingNode();
        for (var i = 0; i < Keys.Length; i++)
        {
            spec[Keys[i]] = ScalarNode.String($"value {i}");
        }

        var manifest = Manifest.Yaml("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: long-keys, namespace: apps}\n");
        manifest["spec"] = spec;
        var yaml = CanonicalYaml.Write(TestSanitizer.Create().Sanitize(manifest).Manifest!);
        yaml.Should().Contain("? ", "a key over the implicit-key limit is written as an explicit key");

        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.ApplyAsync(OperatorTestbed.Crd("gadgets", "Gadget"))).ShouldSucceed();
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        var file = bed.Temp.Combine("gadget.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var created = await bed.KubectlAsync($"create -f {file} -o json");
        created.ExitCode.Should().Be(0, created.Error);

        foreach (var (reader, read) in new[] { ("PyYAML", await PyYamlAsync(yaml)), ("kubectl", JsonNode.Parse(created.Output)!.AsObject()) })
        {
            for (var i = 0; i < Keys.Length; i++)
            {
                ((string?)read["spec"]?[Keys[i]]).Should().Be($"value {i}", $"{reader} reads the key of {Keys[i].Length} characters");
            }
        }
    }

    // Debian's PyYAML reads the text and prints it as JSON.
    private static async Task<JsonObject> PyYamlAsync(string yaml)
    {
        var start = new ProcessStartInfo(PyYaml)
        {
            ArgumentList = { "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(yaml);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, error);
        return JsonNode.Parse(output)!.AsObject();
    }
}
