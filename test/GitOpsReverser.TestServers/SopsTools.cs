using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GitOpsReverser.TestServers;

/// <summary>An age identity made by <c>age-keygen</c>: the file holding its private key, and its public key.</summary>
public sealed record AgeIdentity(string File, string Recipient);

/// <summary>What other people's SOPS readers made of a file: the decrypted values and the data key each stanza held.</summary>
public sealed record SopsReading(JsonObject? Data, JsonObject? StringData, IReadOnlyList<string> DataKeys);

/// <summary>
/// The real age CLI (Debian's <c>age</c> package) and, through Node.js, other people's SOPS implementations
/// (test/sops-verifier: age-encryption, sops-age and sops-decoder's MAC check), installed by eng/install-test-tools.sh.
/// </summary>
public static class SopsTools
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    public static string Verifier => Path.Combine(Kubectl.RepositoryRoot, "test", "sops-verifier", "verify.mjs");

    /// <summary>A new identity in <paramref name="directory"/>.</summary>
    public static async Task<AgeIdentity> NewIdentityAsync(string directory)
    {
        var file = Path.Combine(directory, $"age-{Guid.NewGuid():N}.txt");
        var result = await RunAsync("age-keygen", null, "-o", file);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"age-keygen: {result.Error.Trim()}");
        }

        var recipient = File.ReadAllLines(file).Single(line => line.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..];
        return new AgeIdentity(file, recipient.Trim());
    }

    /// <summary><c>age --decrypt -i IDENTITY</c> of an armored file; throws with age's message when it refuses.</summary>
    public static async Task<byte[]> AgeDecryptAsync(string armored, AgeIdentity identity)
    {
        var input = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, armored);
            var result = await RunAsync("age", null, "--decrypt", "-i", identity.File, "-o", output, input);
            return result.ExitCode == 0 ? await File.ReadAllBytesAsync(output) : throw new InvalidOperationException($"age: {result.Error.Trim()}");
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary><c>age --encrypt -r RECIPIENT [-a]</c> of <paramref name="plaintext"/>: the file the real age CLI writes.</summary>
    public static async Task<byte[]> AgeEncryptAsync(byte[] plaintext, string recipient, bool armor)
    {
        var input = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(input, plaintext);
            File.Delete(output);
            var result = await RunAsync("age", null, [.. armor ? new[] { "-a" } : [], "-r", recipient, "-o", output, input]);
            return result.ExitCode == 0 ? await File.ReadAllBytesAsync(output) : throw new InvalidOperationException($"age: {result.Error.Trim()}");
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>Reads a SOPS file with <paramref name="identity"/>; throws with the readers' message when they refuse it (a bad MAC, say).</summary>
    public static async Task<SopsReading> ReadAsync(string sopsFile, AgeIdentity identity)
    {
        var result = await RunAsync("node", null, "--no-warnings", Verifier, sopsFile, identity.File);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"SOPS readers refused {sopsFile}: {result.Error.Trim()}");
        }

        var answer = JsonNode.Parse(result.Output)!.AsObject();
        return new SopsReading(
            answer["values"]?["data"] as JsonObject,
            answer["values"]?["stringData"] as JsonObject,
            [.. answer["dataKeys"]!.AsArray().Select(key => (string)key!)]);
    }

    /// <summary><see cref="ReadAsync(string, AgeIdentity)"/> of content not yet in a file.</summary>
    public static async Task<SopsReading> ReadContentAsync(string content, AgeIdentity identity)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, content);
            return await ReadAsync(file, identity);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<KubectlResult> RunAsync(string tool, string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ToolRun.RunAsync(start, stdin, Limit);
    }
}
