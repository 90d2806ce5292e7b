using System.Globalization;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Attribution through the operator's webhook, registered with <c>--webhook-url</c> and called by KubeSim
/// over TLS: each user's kubectl (their own token) is named in the commit and authors it, a service account
/// too; dry runs record nothing; two users editing one object 50 ms apart are each credited; a webhook that
/// cannot be reached blocks nothing and the commit names the field manager.
/// </summary>
[Category("Integration")]
public sealed class AttributionTests
{
    private const string Users = """
        users:
          - {name: admin, token: admin-token, groups: [system:masters]}
          - {name: gitops-reverser, token: operator-token, groups: [system:masters]}
          - {name: alice@company.com, token: alice-token, groups: [developers]}
          - {name: bob, token: bob-token, groups: [developers, ops]}
        """;

    private TempDirectory users = null!;
    private OperatorTestbed bed = null!;
    private Kubectl alice = null!;
    private Kubectl bob = null!;
    private int commits;
    private int webhookPort;

    [SetUp]
    public async Task StartAsync()
    {
        users = new TempDirectory();
        await File.WriteAllTextAsync(users.Combine("users.yaml"), Users);
        bed = await OperatorTestbed.StartAsync(users.Combine("users.yaml"));
        await bed.CaptureConfigMapsAsync("apps");
        var port = webhookPort = LoopbackPorts.Free();
        await bed.StartOperatorAsync("operator-token", new Dictionary<string, string>
        {
            ["GITOPS_REVERSER_Operator__WebhookUrl"] = $"https://127.0.0.1:{port}",
            ["GITOPS_REVERSER_Operator__WebhookPort"] = port.ToString(CultureInfo.InvariantCulture),
        });
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        (await bed.KubectlAsync("get validatingwebhookconfiguration gitops-reverser-attribution")).ShouldSucceed();
        alice = KubectlAs("alice-token");
        bob = KubectlAs("bob-token");
        commits = GitCli.Log(bed.Remote).Count;
    }

    [TearDown]
    public async Task StopAsync()
    {
        await bed.DisposeAsync();
        users.Dispose();
    }

    private Kubectl KubectlAs(string token)
    {
        var kubeconfig = bed.Temp.Combine($"kubeconfig-{token}");
        File.WriteAllText(kubeconfig, bed.Sim.Kubeconfig(token));
        return new Kubectl(Kubectl.Installed, kubeconfig, bed.Temp.Combine($"cache-{token}"));
    }

    /// <summary>The webhook's path as the registration names it, capability included: what the API server (and an administrator) knows.</summary>
    private async Task<string> RegisteredPathAsync() =>
        new Uri((await bed.KubectlAsync("get validatingwebhookconfiguration gitops-reverser-attribution -o jsonpath={.webhooks[0].clientConfig.url}"))
            .ShouldSucceed().Output.Trim()).AbsolutePath;

    private string Body(int skip = 0) => GitCli.Run(bed.Remote, "log", "-1", $"--skip={skip}", "--format=%B", "main");

    [Test]
    public async Task EachUsersChange_NamesThatUser_AndTheUserAuthorsTheCommit()
    {
        (await alice.RunAsync("create configmap settings -n apps --from-literal=mode=fast")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/settings in ns/apps by user/alice@company.com");
        GitCli.Log(bed.Remote, "%an <%ae>")[0].Should().Be("alice@company.com <alice@company.com>");
        Body().Should().Contain("- User: alice@company.com\n- Groups: developers, system:authenticated\n");

        (await bob.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {mode: slow}\n")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/settings in ns/apps by user/bob");
        GitCli.Log(bed.Remote, "%an <%ae>")[0].Should().Be("bob <bob@cluster.local>");

        var editor = bed.Script("edit.sh", "sed -i 's/mode: slow/mode: edited/' \"$1\"");
        (await alice.RunAsync("edit configmap settings -n apps", environment: new Dictionary<string, string> { ["EDITOR"] = editor })).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/settings in ns/apps by user/alice@company.com");

        // A dry run is not a change: nothing is recorded, nothing committed; the next change is still alice's own.
        (await bob.RunAsync("patch configmap settings -n apps --dry-run=server -p {\"data\":{\"mode\":\"dry\"}}")).ShouldSucceed();
        (await alice.RunAsync("delete configmap settings -n apps")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[DELETE] ConfigMap/settings in ns/apps by user/alice@company.com");
        GitCli.Log(bed.Remote).Should().NotContain(subject => subject.Contains("dry", StringComparison.Ordinal));
    }

    [Test]
    public async Task AServiceAccount_IsNamedAsKubernetesNamesIt()
    {
        (await bed.ApplyAsync("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: deployer, namespace: apps}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: configmaps, namespace: apps}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, create, patch]}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: release, namespace: apps}
            data: {version: "0"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployer, namespace: apps}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
            subjects: [{kind: ServiceAccount, name: deployer, namespace: apps}]
            """)).ShouldSucceed();
        var token = (await bed.KubectlAsync("create token deployer -n apps")).ShouldSucceed().Output.Trim();
        var deployer = KubectlAs(token);

        await bed.CommitAsync(++commits);

        (await deployer.RunAsync("patch configmap release -n apps -p {\"data\":{\"version\":\"1\"}}")).ShouldSucceed();

        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/release in ns/apps by user/system:serviceaccount:apps:deployer");
        GitCli.Log(bed.Remote, "%an <%ae>")[0].Should().Be("system:serviceaccount:apps:deployer <system:serviceaccount:apps:deployer@cluster.local>");
        Body().Should().Contain("- Groups: system:serviceaccounts, system:serviceaccounts:apps, system:authenticated\n");
    }

    [Test]
    public async Task ForgedReviews_AtEveryPathOneCanGuess_CreditNobody_NorKeepAChangeOutOfGit()
    {
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule + "\n  excludeUsers: [system:serviceaccount:flux-system:kustomize-controller]\n")).ShouldSucceed();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await bed.KubectlAsync("get watchrule configs -n gitops-reverser-system -o jsonpath={.status.observedGeneration}/{.status.conditions[0].status}")).Output != "2/True")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the edited rule should be Ready in its new generation");
            await Task.Delay(200);
        }

        commits = GitCli.Log(bed.Remote).Count;

        // A tenant with `edit` in apps cannot read the registration, so it cannot learn the path.
        (await bed.KubectlAsync("create serviceaccount mallory -n apps")).ShouldSucceed();
        (await bed.KubectlAsync("create rolebinding mallory -n apps --clusterrole=edit --serviceaccount=apps:mallory")).ShouldSucceed();
        var mallory = KubectlAs((await bed.KubectlAsync("create token mallory -n apps")).ShouldSucceed().Output.Trim());
        (await mallory.RunAsync("get validatingwebhookconfiguration gitops-reverser-attribution")).Error.Should().Contain("forbidden");
        var realPath = await RegisteredPathAsync();

        // For the exact content mallory then writes: reviews naming alice, and the excluded controller, at every path it could guess.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{webhookPort}") };
        var guesses = new[] { "/", "/attribution", "/attribution/", "/attribution/x", "/validate", "/attribution/" + new string('A', 43), realPath[..^1], realPath + "x", realPath.ToUpperInvariant() };
        var forged = 0;
        foreach (var (name, user) in new[] { ("target", "alice@company.com"), ("hidden", "system:serviceaccount:flux-system:kustomize-controller") })
        {
            var review = $$$"""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"forged-{{{name}}}",
                 "kind":{"group":"","version":"v1","kind":"ConfigMap"},"resource":{"group":"","version":"v1","resource":"configmaps"},
                 "namespace":"apps","name":"{{{name}}}","operation":"CREATE","userInfo":{"username":"{{{user}}}","groups":["system:authenticated"]},
                 "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"apps"},"data":{"mode":"forged"}} } }
                """;
            foreach (var guess in guesses)
            {
                using var answer = await https.PostAsync(guess, new StringContent(review, System.Text.Encoding.UTF8, "application/json"));
                ((int)answer.StatusCode).Should().Be(404, $"{guess} is not the webhook's path");
                forged++;
            }
        }

        (await mallory.RunAsync("create configmap target -n apps --from-literal=mode=forged")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/target in ns/apps by user/system:serviceaccount:apps:mallory",
            "the API server's own call names the real writer");
        (await mallory.RunAsync("create configmap hidden -n apps --from-literal=mode=forged")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/hidden in ns/apps by user/system:serviceaccount:apps:mallory",
            "a forged review naming an excluded user keeps nothing out of Git");

        using var metrics = new HttpClient();
        var scraped = await metrics.GetStringAsync($"http://127.0.0.1:{bed.Operator!.MetricsPort}/metrics");
        scraped.Should().MatchRegex($@"gitops_reverser_attribution_requests_total\{{[^}}]*outcome=""unauthenticated""[^}}]*\}} {forged}\b");
        bed.Operator.Output.Should().NotContain(realPath.Split('/').Last(), "the capability is never logged");
    }

    [Test]
    public async Task ExcludeUsersAndGroups_LeaveTheirChangesOut()
    {
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule + "\n  excludeUsers: [carol@company.com]\n  excludeGroups: [ops]\n")).ShouldSucceed();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await bed.KubectlAsync("get watchrule configs -n gitops-reverser-system -o jsonpath={.status.observedGeneration}/{.status.conditions[0].status}")).Output != "2/True")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the edited rule should be Ready in its new generation");
            await Task.Delay(200);
        }

        commits = GitCli.Log(bed.Remote).Count;

        (await bob.RunAsync("create configmap by-bob -n apps --from-literal=a=b")).ShouldSucceed();
        (await alice.RunAsync("create configmap by-alice -n apps --from-literal=a=b")).ShouldSucceed();

        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/by-alice in ns/apps by user/alice@company.com");
        await Task.Delay(1500);
        GitCli.Log(bed.Remote).Should().NotContain(subject => subject.Contains("by-bob", StringComparison.Ordinal), "bob is in the excluded group ops");
    }

    [Test]
    public async Task TwoUsersFiftyMillisecondsApart_AreEachCredited()
    {
        (await alice.RunAsync("create configmap shared -n apps --from-literal=owner=none")).ShouldSucceed();
        await bed.CommitAsync(++commits);

        var first = alice.RunAsync("patch configmap shared -n apps -p {\"data\":{\"owner\":\"alice\"}}");
        await Task.Delay(50);
        var second = bob.RunAsync("patch configmap shared -n apps -p {\"data\":{\"owner\":\"bob\"}}");
        (await first).ShouldSucceed();
        (await second).ShouldSucceed();

        commits += 2;
        var subjects = (await bed.CommitsAsync(commits)).Take(2).ToList();
        subjects.Should().BeEquivalentTo("[UPDATE] ConfigMap/shared in ns/apps by user/alice@company.com", "[UPDATE] ConfigMap/shared in ns/apps by user/bob");
        var owner = bed.Show("namespaces/apps/ConfigMap/shared.yaml").Contains("owner: bob", StringComparison.Ordinal) ? "bob" : "alice@company.com";
        subjects[0].Should().EndWith($"by user/{owner}", "the newest commit holds the final state, written by its own user");
    }

    [Test]
    public async Task TwoHundredObjectsInOneApply_AreAllCreditedToTheirUser()
    {
        var manifests = string.Join("---\n", Enumerable.Range(0, 200).Select(i => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: bulk-{i:D3}, namespace: apps}}\ndata: {{i: \"{i}\"}}\n"));

        (await alice.RunAsync("apply -f -", manifests)).ShouldSucceed();

        var subjects = (await bed.CommitsAsync(commits + 200)).Take(200).ToList();
        subjects.Should().OnlyContain(subject => subject.EndsWith(" by user/alice@company.com", StringComparison.Ordinal));
    }

    [Test]
    public async Task AWebhookThatCannotBeReached_BlocksNothing_AndTheCommitNamesTheFieldManager()
    {
        // As if the operator's webhook port were closed: the registration points at a port nobody listens on.
        var closed = LoopbackPorts.Free();
        (await bed.KubectlAsync("patch validatingwebhookconfiguration gitops-reverser-attribution --type=json -p "
            + $"[{{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/url\",\"value\":\"https://127.0.0.1:{closed}/attribution\"}}]")).ShouldSucceed();
        var editor = bed.Script("edit.sh", "sed -i 's/mode: fast/mode: slow/' \"$1\"");
        (await bed.KubectlAsync("create configmap settings -n apps --from-literal=mode=fast")).ShouldSucceed();
        await bed.CommitAsync(++commits);

        (await alice.RunAsync("edit configmap settings -n apps", environment: new Dictionary<string, string> { ["EDITOR"] = editor })).ShouldSucceed();

        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/settings in ns/apps by manager/kubectl-edit");
        GitCli.Log(bed.Remote, "%an")[0].Should().Be("GitOps Reverser", "a field manager is not a person");
        Body().Should().Contain("- User: unknown\n");
    }

    [Test]
    public async Task BadRequests_AreRefusedClearly_TheOperatorGoesOn_AndNoSecretValueIsLogged()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{webhookPort}") };
        var path = await RegisteredPathAsync();
        const string SecretValue = "s3cr3t-Value-that-must-never-be-logged";
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SecretValue));

        using (var notJson = await https.PostAsync(path, new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")))
        {
            ((int)notJson.StatusCode).Should().Be(400);
            (await notJson.Content.ReadAsStringAsync()).Should().Be("the body is not an AdmissionReview with a request and its uid\n");
        }

        using (var huge = await https.PostAsync(path, new ByteArrayContent(new byte[9 * 1024 * 1024]) { Headers = { ContentType = new("application/json") } }))
        {
            ((int)huge.StatusCode).Should().Be(413);
        }

        using (var text = await https.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "text/plain")))
        {
            ((int)text.StatusCode).Should().Be(415);
        }

        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webhookPort}") };
        var overPlainHttp = () => plain.GetAsync(path);
        await overPlainHttp.Should().ThrowAsync<HttpRequestException>("the webhook speaks TLS only");

        // A Secret passing through, odd data and all: the request is allowed, and nothing of its content reaches the log.
        var review = $$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"0f6c1c52-1d0e-4b0f-9b5e-000000000001",
             "kind":{"group":"","version":"v1","kind":"Secret"},"resource":{"group":"","version":"v1","resource":"secrets"},
             "namespace":"apps","name":"db","operation":"CREATE","userInfo":{"username":"alice@company.com","groups":["developers"]},
             "object":{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"apps","annotations":{"note":"{{{SecretValue}}}"}},
                       "data":["{{{encoded}}}"],"stringData":{"password":"{{{SecretValue}}}"} } } }
            """;
        using (var allowed = await https.PostAsync(path, new StringContent(review, System.Text.Encoding.UTF8, "application/json")))
        {
            allowed.IsSuccessStatusCode.Should().BeTrue();
            (await allowed.Content.ReadAsStringAsync()).Should().Be(
                """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0f6c1c52-1d0e-4b0f-9b5e-000000000001","allowed":true}}""");
        }

        (await alice.RunAsync("create configmap after -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/after in ns/apps by user/alice@company.com");
        bed.Operator!.HasExited.Should().BeFalse();
        bed.Operator.Output.Should().NotContain(SecretValue).And.NotContain(encoded);
        using var metrics = new HttpClient();
        var scraped = await metrics.GetStringAsync($"http://127.0.0.1:{bed.Operator.MetricsPort}/metrics");
        scraped.Should().MatchRegex(@"gitops_reverser_attribution_requests_total\{[^}]*outcome=""rejected""[^}]*\} 3\b")
            .And.MatchRegex(@"gitops_reverser_attribution_requests_total\{[^}]*outcome=""recorded""[^}]*\} [2-9]")
            .And.Contain("gitops_reverser_attribution_records")
            .And.Contain("gitops_reverser_attribution_records_dropped_total");
    }

    [Test]
    public async Task HostileReviews_StayBoundedInMemory_AndForgeNoLogLine()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{webhookPort}"), Timeout = TimeSpan.FromMinutes(2) };
        var path = await RegisteredPathAsync();
        var hugeUser = new string('u', 4 * 1024 * 1024);
        string Review(int i, string user, string uid) => $$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"{{{uid}}}",
             "kind":{"group":"","version":"v1","kind":"ConfigMap"},"resource":{"group":"","version":"v1","resource":"configmaps"},
             "namespace":"apps","name":"target-{{{i}}}","operation":"CREATE","userInfo":{"username":"{{{user}}}","groups":["developers"]},
             "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target-{{{i}}}","namespace":"apps"},"data":{"k":"v"}} } }
            """;

        // 100 reviews, each naming a 4 MB user, 16 at a time: the issue's attack took the operator from 326 MB to 1.29 GB.
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            using var answer = await https.PostAsync(path, new StringContent(Review(i, hugeUser, $"huge-{i}"), System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            answer.IsSuccessStatusCode.Should().BeTrue("the webhook always allows");
        });

        // A uid that would start a forged log line, in a review that cannot be recorded (a CREATE without its object).
        var forged = Review(0, "alice@company.com", "x\\u001b[31m\\n2026-12-06T09:00:00.000Z info: Forged[1] all is well")
            .Replace("\"object\":", "\"notTheObject\":", StringComparison.Ordinal);
        using (var answer = await https.PostAsync(path, new StringContent(forged, System.Text.Encoding.UTF8, "application/json")))
        {
            answer.IsSuccessStatusCode.Should().BeTrue();
        }

        using var metrics = new HttpClient();
        var scraped = await metrics.GetStringAsync($"http://127.0.0.1:{bed.Operator!.MetricsPort}/metrics");
        scraped.Should().MatchRegex(@"gitops_reverser_attribution_requests_total\{[^}]*outcome=""oversized""[^}]*\} 100\b")
            .And.MatchRegex(@"gitops_reverser_attribution_requests_total\{[^}]*outcome=""unreadable""[^}]*\} 1\b");
        var recordBytes = System.Text.RegularExpressions.Regex.Match(scraped, @"gitops_reverser_attribution_records_bytes(?:\{[^}]*\})? (\d+)");
        recordBytes.Success.Should().BeTrue();
        long.Parse(recordBytes.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeLessThan(64 * 1024, "no oversized review is kept");
        var peak = PeakResidentMegabytes(bed.Operator.Id);
        TestContext.Out.WriteLine($"operator peak RSS after 100 hostile reviews: {peak} MB");
        peak.Should().BeLessThan(1024, "the chart's limit is 1280Mi");

        var output = bed.Operator.Output;
        output.Should().Contain("x\\u001b[31m\\n2026-12-06T09:00:00.000Z info: Forged[1] all is well").And.NotContain("\u001b");
        output.Split('\n').Should().NotContain(line => line.StartsWith("2026-12-06T09:00:00.000Z info: Forged", StringComparison.Ordinal));

        // Attribution goes on for the real API server's calls.
        (await alice.RunAsync("create configmap after-the-flood -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/after-the-flood in ns/apps by user/alice@company.com");
    }

    // VmHWM: the most resident memory the process has had.
    private static long PeakResidentMegabytes(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
