using System.Diagnostics;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Signed commits (<c>commit.signing</c>), checked with other people's tools: <c>git verify-commit</c> with an
/// allowed-signers file and <c>ssh-keygen -Y verify</c> accept every commit the operator made (a resync, creates,
/// updates, deletes, a <c>[BATCH]</c>, and commits replayed after someone else pushed), and refuse the commits it did
/// not make. A key that cannot sign is the GitRepoConfig's condition, and no key reaches the log.
/// </summary>
[Category("Integration")]
public sealed class SigningTests
{
    [Test]
    public async Task EveryCommitTheOperatorMakes_VerifiesWithGitAndSshKeygen_AndNoOtherDoes()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        var (key, publicKey) = await KeyAsync(bed, "signing");
        (await bed.KubectlAsync($"create secret generic signing -n {OperatorTestbed.OperatorNamespace} --from-file=ssh-privatekey={key}")).ShouldSucceed();
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace apps capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap before-start -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: "  commit: {signing: {secretRef: {name: signing}}}"))).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig("batched", extra: "  baseFolder: batched\n  commit: {mode: Window, window: 5s, signing: {secretRef: {name: signing}}}"))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule + "\n---\n" + OperatorTestbed.ConfigMapRule
            .Replace("name: configs", "name: batched", StringComparison.Ordinal).Replace("gitRepoConfigRef: audit", "gitRepoConfigRef: batched", StringComparison.Ordinal))).ShouldSucceed();
        // The ConfigMap made before the start arrives as a [RESYNC] (ColdStartCommitLimit 0), to be signed too.
        await bed.StartOperatorAsync(settings: new Dictionary<string, string> { ["GITOPS_REVERSER_Operator__ColdStartCommitLimit"] = "0" });
        var status = (await bed.KubectlAsync($"get gitrepoconfig audit -n {OperatorTestbed.OperatorNamespace} -o jsonpath={{.status.signingKey}}")).ShouldSucceed().Output;
        status.Should().StartWith(publicKey, "the status shows the public half to register");

        (await bed.KubectlAsync("create configmap app -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.KubectlAsync("patch configmap app -n apps -p {\"data\":{\"a\":\"2\"}}")).ShouldSucceed();
        await WaitForSubjectsAsync(bed, "[UPDATE] ConfigMap/app", "[BATCH]");

        // Someone else pushes to the branch: the operator's next commits are replayed on top of theirs, and signed again.
        var work = bed.Temp.Combine("someone-else");
        GitCli.Run(bed.Temp.Path, "clone", "--quiet", bed.Remote, work);
        File.WriteAllText(Path.Combine(work, "NOTES.md"), "a note\n");
        GitCli.Run(work, "add", "NOTES.md");
        GitCli.Run(work, "commit", "--quiet", "-m", "Someone else's note");
        (await bed.KubectlAsync("delete configmap app -n apps")).ShouldSucceed();
        GitCli.Run(work, "push", "--quiet", "origin", "main");
        await WaitForSubjectsAsync(bed, "[DELETE] ConfigMap/app", "Someone else's note");

        var allowed = bed.Temp.Combine("allowed_signers");
        await File.WriteAllTextAsync(allowed, $"gitops-reverser@localhost {publicKey}\n");
        var ours = GitCli.Log(bed.Remote, "%H %cn").Where(line => line.EndsWith(" GitOps Reverser", StringComparison.Ordinal)).Select(line => line.Split(' ')[0]).ToList();
        var subjects = string.Join('\n', GitCli.Log(bed.Remote));
        subjects.Should().Contain("[RESYNC]").And.Contain("[CREATE] ConfigMap/app").And.Contain("[UPDATE] ConfigMap/app").And.Contain("[DELETE] ConfigMap/app").And.Contain("[BATCH]");
        ours.Count.Should().BeGreaterThanOrEqualTo(6);
        foreach (var commit in ours)
        {
            GitCli.Accepts("-C", bed.Remote, "-c", $"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", commit).Should().BeTrue($"git verifies {commit}");
            (await SshKeygenVerifiesAsync(bed, commit, allowed)).Should().BeTrue($"ssh-keygen -Y verify accepts {commit}");
        }

        foreach (var other in GitCli.Log(bed.Remote, "%H %cn").Where(line => !line.EndsWith(" GitOps Reverser", StringComparison.Ordinal)).Select(line => line.Split(' ')[0]))
        {
            GitCli.Accepts("-C", bed.Remote, "-c", $"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", other).Should().BeFalse("a commit made without the key does not verify");
        }

        GitCli.Run(bed.Remote, "fsck", "--strict");
        bed.Operator!.Output.Should().Contain("pending commits on the remote head", "commits were replayed after someone else's push, and signed again")
            .And.NotContain("PRIVATE KEY");
    }

    [TestCase("passphrase", "has a passphrase")]
    [TestCase("rsa", "is a ssh-rsa key; signing takes an Ed25519 key")]
    [TestCase("garbage", "is not a private key in OpenSSH or PKCS#8 form")]
    public async Task AKeyThatCannotSign_IsTheConditionOfItsGitRepoConfig(string kind, string problem)
    {
        await using var bed = await OperatorTestbed.StartAsync();
        var key = bed.Temp.Combine("key");
        switch (kind)
        {
            case "passphrase":
                await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret-phrase", "-f", key);
                break;
            case "rsa":
                await RunAsync("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key);
                break;
            default:
                await File.WriteAllTextAsync(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
                break;
        }

        (await bed.KubectlAsync($"create secret generic signing -n {OperatorTestbed.OperatorNamespace} --from-file=ssh-privatekey={key}")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: "  commit: {signing: {secretRef: {name: signing}}}"))).ShouldSucceed();
        await bed.StartOperatorAsync();

        var condition = await bed.WaitForReadyAsync("gitrepoconfig", OperatorTestbed.OperatorNamespace, "audit", "False");
        ((string?)condition["reason"]).Should().Be("InvalidSigningKey");
        ((string?)condition["message"]).Should().Be($"commit.signing.secretRef: the key ssh-privatekey of Secret gitops-reverser-system/signing {problem}"
            + (kind == "passphrase" ? "; signing takes a key without one (the Secret is what protects it)" : kind == "rsa" ? " (ssh-keygen -t ed25519)" : ""));
        bed.Operator!.Output.Should().NotContain("PRIVATE KEY").And.NotContain("s3cret-phrase");
        bed.Operator.HasExited.Should().BeFalse();
    }

    private static async Task<(string Key, string PublicKey)> KeyAsync(OperatorTestbed bed, string name)
    {
        var key = bed.Temp.Combine(name);
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key);
        var publicKey = (await File.ReadAllTextAsync(key + ".pub")).Split(' ');
        return (key, $"{publicKey[0]} {publicKey[1]}");
    }

    // ssh-keygen -Y verify on the commit's text without its signature, as git hands it over.
    private static async Task<bool> SshKeygenVerifiesAsync(OperatorTestbed bed, string commit, string allowed)
    {
        var raw = GitCli.Run(bed.Remote, "cat-file", "commit", commit);
        var lines = raw.Split('\n');
        var start = Array.FindIndex(lines, line => line.StartsWith("gpgsig ", StringComparison.Ordinal));
        if (start < 0)
        {
            return false;
        }

        var end = start + 1;
        while (lines[end].StartsWith(' '))
        {
            end++;
        }

        var signature = string.Join('\n', lines[start..end].Select(line => line.StartsWith("gpgsig ", StringComparison.Ordinal) ? line[7..] : line[1..])) + "\n";
        var payload = string.Join('\n', lines[..start].Concat(lines[end..]));
        var signatureFile = bed.Temp.Combine($"{commit}.sig");
        await File.WriteAllTextAsync(signatureFile, signature);
        return await RunWithInputAsync("ssh-keygen", payload, "-Y", "verify", "-f", allowed, "-I", "gitops-reverser@localhost", "-n", "git", "-s", signatureFile) == 0;
    }

    private static Task<int> RunAsync(string program, params string[] arguments) => RunWithInputAsync(program, null, arguments);

    private static async Task<int> RunWithInputAsync(string program, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task WaitForSubjectsAsync(OperatorTestbed bed, params string[] parts)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!parts.All(part => GitCli.Log(bed.Remote).Any(subject => subject.StartsWith(part, StringComparison.Ordinal))))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"never saw {string.Join(", ", parts)}; the remote has:\n{string.Join('\n', GitCli.Log(bed.Remote))}\n{bed.Operator?.Output}");
            }

            await Task.Delay(200);
        }
    }
}
