using GitOpsReverser.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Client;

/// <summary>
/// KubernetesClient's typed calls, as a client library's own end-to-end tests drive a cluster: create, read,
/// replace, patch and delete of built-in kinds, each reply read into its typed model (a Pod's delete answers a
/// V1Pod, a ConfigMap's a V1Status), and the defaults a real server adds visible in what comes back.
/// </summary>
[Category("Integration")]
public sealed class TypedBuiltInTests : KubernetesClientFixture
{
    [Test]
    public async Task APod_IsDefaulted_Pending_AndItsDeleteAnswersThePod()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
        };

        var created = await Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

        created.Status.Phase.Should().Be("Pending");
        created.Status.QosClass.Should().Be("BestEffort");
        created.Spec.RestartPolicy.Should().Be("Always");
        created.Spec.DnsPolicy.Should().Be("ClusterFirst");
        created.Spec.TerminationGracePeriodSeconds.Should().Be(30);
        created.Spec.SchedulerName.Should().Be("default-scheduler");
        created.Spec.ServiceAccountName.Should().Be("default");
        created.Spec.Priority.Should().Be(0);
        created.Spec.Tolerations.Select(toleration => $"{toleration.Key} {toleration.Effect} {toleration.TolerationSeconds}").Should().Equal(
            "node.kubernetes.io/not-ready NoExecute 300", "node.kubernetes.io/unreachable NoExecute 300");
        var container = created.Spec.Containers.Single();
        container.ImagePullPolicy.Should().Be("Always", "an image without a tag is :latest");
        container.TerminationMessagePath.Should().Be("/dev/termination-log");
        container.Ports.Single().Protocol.Should().Be("TCP");
        var token = created.Spec.Volumes.Single();
        token.Name.Should().StartWith("kube-api-access-");
        container.VolumeMounts.Single().MountPath.Should().Be("/var/run/secrets/kubernetes.io/serviceaccount");

        var read = await Client.CoreV1.ReadNamespacedPodAsync("web", Ns);
        read.Metadata.Labels["tier"] = "front";
        var replaced = await Client.CoreV1.ReplaceNamespacedPodAsync(read, "web", Ns);
        replaced.Metadata.Labels.Should().ContainKey("tier");
        replaced.Spec.Volumes.Single().Name.Should().Be(token.Name, "admission runs on create only");
        var patched = await Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"annotations":{"note":"hi"}}}""", V1Patch.PatchType.MergePatch), "web", Ns);
        patched.Metadata.Annotations["note"].Should().Be("hi");

        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("web", Ns);

        deleted.Metadata.Name.Should().Be("web");
        deleted.Metadata.Uid.Should().Be(created.Metadata.Uid);
    }

    [Test]
    public async Task AServiceAccount_RoundTrips_AndItsDeleteAnswersTheAccount()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "deployer" } }, Ns);
        created.AutomountServiceAccountToken = false;
        var replaced = await Client.CoreV1.ReplaceNamespacedServiceAccountAsync(created, "deployer", Ns);
        replaced.AutomountServiceAccountToken.Should().BeFalse();
        await Client.CoreV1.PatchNamespacedServiceAccountAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "deployer", Ns);

        var deleted = await Client.CoreV1.DeleteNamespacedServiceAccountAsync("deployer", Ns);

        deleted.Metadata.Name.Should().Be("deployer");
        deleted.Metadata.Labels.Should().ContainKey("a");
    }

    [Test]
    public async Task AService_GetsAClusterIp_KeepsItOnReplace_AndItsDeleteAnswersTheService()
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        };

        var created = await Client.CoreV1.CreateNamespacedServiceAsync(service, Ns);
        var other = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 443, TargetPort = 8443 }], Type = "NodePort" },
        }, Ns);

        created.Spec.Type.Should().Be("ClusterIP");
        created.Spec.SessionAffinity.Should().Be("None");
        created.Spec.ClusterIP.Should().MatchRegex(@"^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$", "the default service CIDR is 10.96.0.0/12");
        created.Spec.ClusterIPs.Should().Equal(created.Spec.ClusterIP);
        created.Spec.IpFamilies.Should().Equal("IPv4");
        created.Spec.IpFamilyPolicy.Should().Be("SingleStack");
        created.Spec.InternalTrafficPolicy.Should().Be("Cluster");
        created.Spec.Ports.Single().TargetPort.Value.Should().Be("80");
        created.Spec.Ports.Single().Protocol.Should().Be("TCP");
        other.Spec.ClusterIP.Should().NotBe(created.Spec.ClusterIP);
        other.Spec.ExternalTrafficPolicy.Should().Be("Cluster");

        var read = await Client.CoreV1.ReadNamespacedServiceAsync("web", Ns);
        read.Spec.ClusterIP = null;
        read.Spec.ClusterIPs = null;
        var replaced = await Client.CoreV1.ReplaceNamespacedServiceAsync(read, "web", Ns);
        replaced.Spec.ClusterIP.Should().Be(created.Spec.ClusterIP, "an omitted clusterIP keeps the allocated one");

        var deleted = await Client.CoreV1.DeleteNamespacedServiceAsync("web", Ns);
        deleted.Spec.ClusterIP.Should().Be(created.Spec.ClusterIP);
    }

    [Test]
    public async Task AnHpaV2_EndpointsANodeAndAPdb_RoundTrip_AndTheirDeletesAnswerAStatus()
    {
        var hpa = await Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                MaxReplicas = 5,
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
            },
        }, Ns);
        hpa.Spec.MinReplicas.Should().Be(1);
        hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization.Should().Be(80);
        hpa.Spec.MaxReplicas = 7;
        (await Client.AutoscalingV2.ReplaceNamespacedHorizontalPodAutoscalerAsync(hpa, "web", Ns)).Spec.MaxReplicas.Should().Be(7);
        (await Client.AutoscalingV1.ReadNamespacedHorizontalPodAutoscalerAsync("web", Ns)).Spec.MaxReplicas.Should().Be(7, "v1 and v2 share one storage");

        var endpoints = await Client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "10.244.0.5" }], Ports = [new Corev1EndpointPort { Port = 80 }] }],
        }, Ns);
        endpoints.Subsets.Single().Ports.Single().Protocol.Should().Be("TCP");

        var node = await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = $"node-{Ns}" } });
        await Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.MergePatch), node.Metadata.Name);
        (await Client.CoreV1.ReadNodeAsync(node.Metadata.Name)).Spec.Unschedulable.Should().BeTrue();

        var pdb = await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        }, Ns);
        pdb.Metadata.Generation.Should().Be(1);

        var statuses = new[]
        {
            await Client.AutoscalingV2.DeleteNamespacedHorizontalPodAutoscalerAsync("web", Ns),
            await Client.CoreV1.DeleteNamespacedEndpointsAsync("web", Ns),
            await Client.CoreV1.DeleteNodeAsync(node.Metadata.Name),
            await Client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync("web", Ns),
        };

        statuses.Select(status => $"{status.Status} {status.Details.Kind}").Should().Equal(
            "Success horizontalpodautoscalers", "Success endpoints", "Success nodes", "Success poddisruptionbudgets");
    }

    [Test]
    public async Task AJob_GetsItsSelectorAndLabels_AndWorkloadsTheirDefaults()
    {
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "batch" } },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "run", Image = "busybox:1.36" }] },
        };

        var job = await Client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new V1ObjectMeta { Name = "once" }, Spec = new V1JobSpec { Template = template } }, Ns);

        job.Spec.Selector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = job.Metadata.Uid });
        job.Spec.Template.Metadata.Labels.Should().Contain("job-name", "once").And.Contain("controller-uid", job.Metadata.Uid)
            .And.Contain("batch.kubernetes.io/job-name", "once").And.Contain("app", "batch");
        job.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["app"] = "batch" }, "a Job without labels takes its template's");
        (job.Spec.BackoffLimit, job.Spec.Completions, job.Spec.Parallelism, job.Spec.CompletionMode).Should().Be((6, 1, 1, "NonIndexed"));
        job.Spec.Template.Spec.Containers.Single().ImagePullPolicy.Should().Be("IfNotPresent");

        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
                },
            },
        }, Ns);
        (deployment.Spec.Replicas, deployment.Spec.RevisionHistoryLimit, deployment.Spec.ProgressDeadlineSeconds).Should().Be((1, 10, 600));
        deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value.Should().Be("25%");
        deployment.Spec.Template.Spec.RestartPolicy.Should().Be("Always");
        deployment.Spec.Template.Spec.ServiceAccountName.Should().BeNull("the ServiceAccount admission plugin runs on Pods, not templates");
    }
}
