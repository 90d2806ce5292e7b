using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>
/// Runs the operator container of an installed Deployment the way a kubelet runs the chart's pod, with
/// the published operator (<see cref="OperatorProcess.PublishedDll"/>) bound at <c>/app</c> as the image
/// holds it: in a pod of a <see cref="PodNetwork"/>; in a mount namespace of its own with the root
/// file system read-only (<c>readOnlyRootFilesystem</c>) and each emptyDir volume a fresh tmpfs; the
/// ServiceAccount's token (from TokenRequest), the cluster's CA and the namespace at
/// <c>/var/run/secrets/kubernetes.io/serviceaccount</c>; <c>KUBERNETES_SERVICE_HOST</c> and <c>_PORT</c>
/// pointing at KubeSim; the container's args and env (fieldRef and secretKeyRef resolved) and nothing of
/// the test's environment but the image's <c>ENV</c>; as the pod's <c>runAsUser</c>/<c>runAsGroup</c>.
/// The process id is the operator's: stop it with SIGTERM or SIGKILL like any <see cref="OperatorProcess"/>.
/// Needs root (namespaces, mounts). Creates <c>/app</c> and each volume's mount point on the host when
/// missing (empty directories).
/// </summary>
internal static class Kubelet
{
    private const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    // The Dockerfile's ENV, and the PATH of the base image.
    private static readonly Dictionary<string, string> ImageEnvironment = new()
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/tmp",
        ["TMPDIR"] = "/tmp",
    };

    public static async Task<OperatorProcess> StartAsync(
        PodNetwork network, KubeSimServer sim, Kubectl kubectl, JsonObject deployment, string podName, TempDirectory temp)
    {
        var ns = (string)deployment["metadata"]!["namespace"]!;
        var pod = deployment["spec"]!["template"]!["spec"]!.AsObject();
        var container = pod["containers"]![0]!.AsObject();
        var (netns, address) = network.AddPod();

        var token = await kubectl.RunAsync($"create token {(string)pod["serviceAccountName"]!} -n {ns}");
        token.ShouldSucceed();
        var secrets = temp.Combine($"{podName}-serviceaccount");
        Directory.CreateDirectory(secrets);
        await File.WriteAllTextAsync(Path.Combine(secrets, "token"), token.Output.Trim());
        await File.WriteAllTextAsync(Path.Combine(secrets, "ca.crt"), sim.CaPem);
        await File.WriteAllTextAsync(Path.Combine(secrets, "namespace"), ns);

        var environment = new Dictionary<string, string>(ImageEnvironment)
        {
            ["KUBERNETES_SERVICE_HOST"] = network.HostAddress.ToString(),
            ["KUBERNETES_SERVICE_PORT"] = sim.Url.Port.ToString(CultureInfo.InvariantCulture),
            ["HOSTNAME"] = podName,
        };
        foreach (var variable in container["env"] as JsonArray ?? [])
        {
            environment[(string)variable!["name"]!] = await ValueOfAsync(variable.AsObject(), kubectl, ns, podName, address.ToString());
        }

        var volumes = (pod["volumes"] as JsonArray ?? []).ToDictionary(volume => (string)volume!["name"]!, volume => volume!.AsObject());
        var user = (int?)pod["securityContext"]?["runAsUser"] ?? 65532;
        var group = (int?)pod["securityContext"]?["runAsGroup"] ?? 65532;
        // The image's /app is the published operator, bound in before anything (such as /tmp, where a
        // checkout may live) is covered by a volume.
        var script = new StringBuilder("set -e\n")
            .AppendLine("mkdir -p /app")
            .AppendLine($"mount --bind {Quote(Path.GetDirectoryName(OperatorProcess.PublishedDll)!)} /app")
            .AppendLine("mount -t tmpfs -o mode=0755 tmpfs /run")
            .AppendLine($"mkdir -p {ServiceAccountDirectory}")
            .AppendLine($"cp {Quote(secrets)}/token {Quote(secrets)}/ca.crt {Quote(secrets)}/namespace {ServiceAccountDirectory}/");
        var mounted = new List<string> { "/run" };
        foreach (var mount in container["volumeMounts"] as JsonArray ?? [])
        {
            var path = (string)mount!["mountPath"]!;
            if (volumes[(string)mount["name"]!]["emptyDir"] is null)
            {
                throw new NotSupportedException($"the test kubelet mounts emptyDir volumes only, not {mount["name"]}");
            }

            script.AppendLine($"mkdir -p {Quote(path)}")
                .AppendLine($"mount -t tmpfs -o uid={user},gid={group},mode=0770 tmpfs {Quote(path)}");
            mounted.Add(path);
        }

        if ((bool?)container["securityContext"]?["readOnlyRootFilesystem"] == true)
        {
            var keep = string.Join("|", mounted.Select(Quote).Concat(["/proc*", "/sys*", "/dev*", "/run/*"]));
            script.AppendLine($"awk '{{print $2}}' /proc/self/mounts | while read -r m; do case \"$m\" in {keep}) ;; *) mount -o remount,bind,ro \"$m\" 2>/dev/null || true ;; esac; done");
        }

        // The Dockerfile's WORKDIR and ENTRYPOINT.
        var command = new List<string> { "/usr/share/dotnet/dotnet", "/app/gitops-reverser.dll" };
        command.AddRange((container["args"] as JsonArray ?? []).Select(argument => (string)argument!));
        script.AppendLine("cd /app").Append($"exec setpriv --reuid={user} --regid={group} --clear-groups --inh-caps=-all env -i ")
            .Append(string.Join(' ', environment.Select(pair => Quote($"{pair.Key}={pair.Value}"))))
            .Append(' ')
            .AppendLine(string.Join(' ', command.Select(Quote)));

        var start = new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", netns, "unshare", "--mount", "--propagation", "private", "sh", "-c", script.ToString() } };
        var ports = (container["ports"] as JsonArray ?? []).ToDictionary(port => (string)port!["name"]!, port => (int)port!["containerPort"]!);
        await RegisterPodAsync(kubectl, deployment, podName, address.ToString(), temp);
        return OperatorProcess.Start(start, [], null, ports["health"], ports["metrics"], address.ToString());
    }

    // The Pod object a kubelet and the Deployment's controllers would make: the template's labels and spec, running
    // and ready at the pod's address (what a Service's endpoints, and so webhook calls, are found by).
    private static async Task RegisterPodAsync(Kubectl kubectl, JsonObject deployment, string podName, string address, TempDirectory temp)
    {
        var ns = (string)deployment["metadata"]!["namespace"]!;
        var template = deployment["spec"]!["template"]!;
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["namespace"] = ns, ["labels"] = template["metadata"]?["labels"]?.DeepClone() },
            ["spec"] = template["spec"]!.DeepClone(),
        };
        (await kubectl.RunAsync("create -f -", pod.ToJsonString())).ShouldSucceed();
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = address,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        };
        var patch = temp.Combine($"{podName}-status.json");
        await File.WriteAllTextAsync(patch, status.ToJsonString());
        (await kubectl.RunAsync($"patch pod {podName} -n {ns} --subresource=status --type=merge --patch-file {patch}")).ShouldSucceed();
    }

    private static async Task<string> ValueOfAsync(JsonObject variable, Kubectl kubectl, string ns, string podName, string podAddress)
    {
        if (variable["value"] is { } value)
        {
            return (string)value!;
        }

        var from = variable["valueFrom"]!;
        if (from["fieldRef"]?["fieldPath"] is { } field)
        {
            return (string)field! switch
            {
                "metadata.name" => podName,
                "metadata.namespace" => ns,
                "status.podIP" => podAddress,
                var other => throw new NotSupportedException($"the test kubelet does not resolve fieldRef {other}"),
            };
        }

        var secret = from["secretKeyRef"] ?? throw new NotSupportedException($"the test kubelet does not resolve {from.ToJsonString()}");
        var data = await kubectl.RunAsync($"get secret {(string)secret["name"]!} -n {ns} -o json");
        data.ShouldSucceed();
        var encoded = (string)JsonNode.Parse(data.Output)!["data"]![(string)secret["key"]!]!;
        return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }

    // One POSIX shell word.
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
