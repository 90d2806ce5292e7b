namespace GitOpsReverser.Manifests;

/// <summary>
/// Turns user input (JSON, a JSON stream, or multi-document YAML, each possibly a <c>kind: List</c>) into
/// Kubernetes objects. A broken document is reported and the ones around it are still read.
/// </summary>
internal static class ManifestReader
{
    public static IEnumerable<ManifestObject> ReadObjects(string text)
    {
        var documentNumber = 0;
        foreach (var (document, error) in ReadDocuments(text))
        {
            documentNumber++;
            var location = $"document {documentNumber}";
            if (error is not null)
            {
                yield return new ManifestObject(location, null, default, error);
                continue;
            }

            foreach (var manifestObject in Expand(location, document!))
            {
                yield return manifestObject;
            }
        }
    }

    private static IEnumerable<ManifestObject> Expand(string location, ManifestNode document)
    {
        if (document is not MappingNode manifest)
        {
            yield return Invalid(location, $"not a Kubernetes object: expected a mapping, found a {Describe(document)}");
            yield break;
        }

        var kind = manifest.GetString("kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && manifest["items"] is SequenceNode items)
        {
            // A typed list from the API (ConfigMapList) leaves apiVersion and kind off its items.
            var itemKind = kind == "List" ? null : kind[..^"List".Length];
            var apiVersion = manifest.GetString("apiVersion");
            for (var i = 0; i < items.Count; i++)
            {
                var itemLocation = $"{location}, item {i + 1}";
                if (items.Items[i] is not MappingNode item)
                {
                    yield return Invalid(itemLocation, $"not a Kubernetes object: expected a mapping, found a {Describe(items.Items[i])}");
                    continue;
                }

                if (itemKind is not null && item["kind"] is null)
                {
                    item["kind"] = ScalarNode.String(itemKind);
                    if (apiVersion is not null && item["apiVersion"] is null)
                    {
                        item["apiVersion"] = ScalarNode.String(apiVersion);
                    }
                }

                yield return Validate(itemLocation, item);
            }

            yield break;
        }

        yield return Validate(location, manifest);
    }

    private static ManifestObject Validate(string location, MappingNode manifest) =>
        ObjectIdentity.TryRead(manifest, out var identity, out var error)
            ? new ManifestObject(location, manifest, identity, null)
            : Invalid(location, $"not a Kubernetes object: {error}");

    private static ManifestObject Invalid(string location, string error) => new(location, null, default, error);

    private static string Describe(ManifestNode node) => node switch
    {
        SequenceNode => "list",
        ScalarNode scalar => $"{scalar.Kind.ToString().ToLowerInvariant()} scalar",
        _ => "mapping",
    };

    /// <summary>Every document with its parse error, if any.</summary>
    private static IEnumerable<(ManifestNode? Document, string? Error)> ReadDocuments(string text)
    {
        var trimmed = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (!trimmed.IsEmpty && trimmed[0] is '{' or '[')
        {
            // JSON is the fast path; text that only looks like JSON may be YAML flow style ({kind: X}),
            // which the YAML reader below handles, reporting its own errors.
            List<ManifestNode>? values = null;
            try
            {
                values = JsonManifestReader.ReadAll(System.Text.Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')));
            }
            catch (ManifestFormatException)
            {
            }

            if (values is not null)
            {
                foreach (var value in values)
                {
                    yield return (value, null);
                }

                yield break;
            }
        }

        foreach (var (chunk, firstLine) in SplitYamlDocuments(text))
        {
            List<ManifestNode> documents;
            string? error = null;
            try
            {
                documents = YamlManifestReader.ReadDocuments(chunk, firstLine);
            }
            catch (ManifestFormatException exception)
            {
                documents = [];
                error = exception.Message;
            }

            foreach (var document in documents)
            {
                yield return (document, null);
            }

            if (error is not null)
            {
                yield return (null, error);
            }
        }
    }

    /// <summary>
    /// Splits a YAML stream at document markers (<c>---</c> at the start of a line), so that a syntax error in
    /// one document does not hide the others. YAML forbids a marker inside a document's content, so this
    /// split never cuts through one.
    /// </summary>
    private static IEnumerable<(string Chunk, int FirstLine)> SplitYamlDocuments(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split('\n');
        var start = 0;
        for (var i = 1; i <= lines.Length; i++)
        {
            if (i == lines.Length || IsDocumentStart(lines[i]))
            {
                if (HasContent(lines.AsSpan(start, i - start)))
                {
                    yield return (string.Join('\n', lines, start, i - start), start + 1);
                }

                start = i;
            }
        }
    }

    private static bool IsDocumentStart(string line) =>
        line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || line[3] is ' ' or '\t' or '\r');

    // A document of nothing but blank lines, comments and markers is no document.
    private static bool HasContent(ReadOnlySpan<string> lines)
    {
        foreach (var line in lines)
        {
            var trimmed = line.AsSpan().Trim();
            if (!trimmed.IsEmpty && trimmed[0] != '#' && !trimmed.SequenceEqual("---") && !trimmed.SequenceEqual("..."))
            {
                return true;
            }
        }

        return false;
    }
}
