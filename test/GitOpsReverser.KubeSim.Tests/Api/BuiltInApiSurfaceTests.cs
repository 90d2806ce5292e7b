using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Api;

/// <summary>
/// KubeSim against what a fresh 1.34 API server answers: every built-in resource served with its scope, verbs,
/// short names and categories; <c>/apis</c> without the core group; DELETE answered per registry; the name,
/// annotation and Secret validation a real server does; writes that change nothing write nothing.
/// </summary>
[Category("Integration")]
public sealed class BuiltInApiSurfaceTests : KubeSimTestBase
{
    // What `kubectl api-resources` lists on a fresh 1.34 cluster (kind, kubeadm): name, short names,
    // group/version, namespaced, kind.
    private static readonly string[] ApiResources =
    [
        "bindings||v1|true|Binding",
        "componentstatuses|cs|v1|false|ComponentStatus",
        "configmaps|cm|v1|true|ConfigMap",
        "endpoints|ep|v1|true|Endpoints",
        "events|ev|v1|true|Event",
        "limitranges|limits|v1|true|LimitRange",
        "namespaces|ns|v1|false|Namespace",
        "nodes|no|v1|false|Node",
        "persistentvolumeclaims|pvc|v1|true|PersistentVolumeClaim",
        "persistentvolumes|pv|v1|false|PersistentVolume",
        "pods|po|v1|true|Pod",
        "podtemplates||v1|true|PodTemplate",
        "replicationcontrollers|rc|v1|true|ReplicationController",
        "resourcequotas|quota|v1|true|ResourceQuota",
        "secrets||v1|true|Secret",
        "serviceaccounts|sa|v1|true|ServiceAccount",
        "services|svc|v1|true|Service",
        "mutatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|MutatingWebhookConfiguration",
        "validatingadmissionpolicies||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicy",
        "validatingadmissionpolicybindings||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicyBinding",
        "validatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|ValidatingWebhookConfiguration",
        "customresourcedefinitions|crd,crds|apiextensions.k8s.io/v1|false|CustomResourceDefinition",
        "apiservices||apiregistration.k8s.io/v1|false|APIService",
        "controllerrevisions||apps/v1|true|ControllerRevision",
        "daemonsets|ds|apps/v1|true|DaemonSet",
        "deployments|deploy|apps/v1|true|Deployment",
        "replicasets|rs|apps/v1|true|ReplicaSet",
        "statefulsets|sts|apps/v1|true|StatefulSet",
        "selfsubjectreviews||authentication.k8s.io/v1|false|SelfSubjectReview",
        "tokenreviews||authentication.k8s.io/v1|false|TokenReview",
        "localsubjectaccessreviews||authorization.k8s.io/v1|true|LocalSubjectAccessReview",
        "selfsubjectaccessreviews||authorization.k8s.io/v1|false|SelfSubjectAccessReview",
        "selfsubjectrulesreviews||authorization.k8s.io/v1|false|SelfSubjectRulesReview",
        "subjectaccessreviews||authorization.k8s.io/v1|false|SubjectAccessReview",
        "horizontalpodautoscalers|hpa|autoscaling/v2|true|HorizontalPodAutoscaler",
        "cronjobs|cj|batch/v1|true|CronJob",
        "jobs||batch/v1|true|Job",
        "certificatesigningrequests|csr|certificates.k8s.io/v1|false|CertificateSigningRequest",
        "leases||coordination.k8s.io/v1|true|Lease",
        "endpointslices||discovery.k8s.io/v1|true|EndpointSlice",
        "events|ev|events.k8s.io/v1|true|Event",
        "flowschemas||flowcontrol.apiserver.k8s.io/v1|false|FlowSchema",
        "prioritylevelconfigurations||flowcontrol.apiserver.k8s.io/v1|false|PriorityLevelConfiguration",
        "ingressclasses||networking.k8s.io/v1|false|IngressClass",
        "ingresses|ing|networking.k8s.io/v1|true|Ingress",
        "ipaddresses|ip|networking.k8s.io/v1|false|IPAddress",
        "networkpolicies|netpol|networking.k8s.io/v1|true|NetworkPolicy",
        "servicecidrs||networking.k8s.io/v1|false|ServiceCIDR",
        "runtimeclasses||node.k8s.io/v1|false|RuntimeClass",
        "poddisruptionbudgets|pdb|policy/v1|true|PodDisruptionBudget",
        "clusterrolebindings||rbac.authorization.k8s.io/v1|false|ClusterRoleBinding",
        "clusterroles||rbac.authorization.k8s.io/v1|false|ClusterRole",
        "rolebindings||rbac.authorization.k8s.io/v1|true|RoleBinding",
        "roles||rbac.authorization.k8s.io/v1|true|Role",
        "deviceclasses||resource.k8s.io/v1|false|DeviceClass",
        "resourceclaims||resource.k8s.io/v1|true|ResourceClaim",
        "resourceclaimtemplates||resource.k8s.io/v1|true|ResourceClaimTemplate",
        "resourceslices||resource.k8s.io/v1|false|ResourceSlice",
        "priorityclasses|pc|scheduling.k8s.io/v1|false|PriorityClass",
        "csidrivers||storage.k8s.io/v1|false|CSIDriver",
        "csinodes||storage.k8s.io/v1|false|CSINode",
        "csistoragecapacities||storage.k8s.io/v1|true|CSIStorageCapacity",
        "storageclasses|sc|storage.k8s.io/v1|false|StorageClass",
        "volumeattachments||storage.k8s.io/v1|false|VolumeAttachment",
        "volumeattributesclasses|vac|storage.k8s.io/v1|false|VolumeAttributesClass",
    ];

    [Test]
    public async Task Discovery_ServesEveryResourceOfAFresh134Cluster_InItsPreferredVersion()
    {
        var served = new List<string>();
        // Other tests of this class install CRDs in example.com groups.
        var groups = (await Http.GetAsync("/apis"))["groups"]!.AsArray().OfType<JsonObject>()
            .Where(group => !((string)group["name"]!).EndsWith(".example.com", StringComparison.Ordinal)).ToList();
        groups.Should().NotContain(group => (string?)group["name"] == "", "the core group lives only at /api");
        var preferred = new List<string> { "v1" };
        preferred.AddRange(groups.Select(group => (string)group["preferredVersion"]!["groupVersion"]!));
        foreach (var groupVersion in preferred)
        {
            var list = await Http.GetAsync(groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}");
            ((string?)list["groupVersion"]).Should().Be(groupVersion);
            foreach (var resource in list["resources"]!.AsArray().OfType<JsonObject>().Where(resource => !((string)resource["name"]!).Contains('/')))
            {
                var shortNames = string.Join(',', (resource["shortNames"] as JsonArray ?? []).Select(name => (string?)name));
                served.Add($"{resource["name"]}|{shortNames}|{groupVersion}|{((bool)resource["namespaced"]!).ToString().ToLowerInvariant()}|{resource["kind"]}");
            }
        }

        served.Should().BeEquivalentTo(ApiResources);
        groups.Single(group => (string?)group["name"] == "autoscaling")["versions"]!.AsArray().Select(version => (string?)version!["version"])
            .Should().Equal("v2", "v1");
    }

    [Test]
    public async Task Discovery_GivesVerbsCategoriesAndSubresources_AsTheApiServerDoes()
    {
        var core = (await Http.GetAsync("/api/v1"))["resources"]!.AsArray().OfType<JsonObject>().ToDictionary(resource => (string)resource["name"]!);
        Verbs(core["componentstatuses"]).Should().Equal("get", "list");
        Verbs(core["bindings"]).Should().Equal("create");
        Verbs(core["nodes"]).Should().Equal("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
        core.Should().ContainKeys("nodes/status", "pods/status", "services/status", "serviceaccounts/token", "persistentvolumes/status");
        core["pods"]["categories"]!.AsArray().Select(category => (string?)category).Should().Equal("all");
        var admission = (await Http.GetAsync("/apis/admissionregistration.k8s.io/v1"))["resources"]!.AsArray().OfType<JsonObject>();
        admission.Single(resource => (string?)resource["name"] == "mutatingwebhookconfigurations")["categories"]!.AsArray()
            .Select(category => (string?)category).Should().Equal("api-extensions");
        var reviews = (await Http.GetAsync("/apis/authorization.k8s.io/v1"))["resources"]!.AsArray().OfType<JsonObject>();
        reviews.Should().OnlyContain(resource => Verbs(resource).SequenceEqual(new[] { "create" }));

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, "/api/v1/componentstatuses", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ComponentStatus" });
        code.Should().Be(405, body.ToJsonString());
    }

    [TestCase("/api/v1/namespaces/NS/configmaps", "ConfigMap", 200, "Status")]
    [TestCase("/api/v1/namespaces/NS/secrets", "Secret", 200, "Status")]
    [TestCase("/apis/apps/v1/namespaces/NS/controllerrevisions", "ControllerRevision", 200, "Status")]
    [TestCase("/api/v1/namespaces/NS/pods", "Pod", 200, "Pod")]
    [TestCase("/api/v1/namespaces/NS/serviceaccounts", "ServiceAccount", 200, "ServiceAccount")]
    [TestCase("/api/v1/namespaces/NS/services", "Service", 200, "Service")]
    [TestCase("/api/v1/namespaces/NS/podtemplates", "PodTemplate", 200, "PodTemplate")]
    [TestCase("/apis/storage.k8s.io/v1/storageclasses", "StorageClass", 200, "StorageClass")]
    public async Task Delete_AnswersAsTheKindsRegistry(string collection, string kind, int code, string answerKind)
    {
        collection = collection.Replace("NS", Ns, StringComparison.Ordinal);
        var name = "d" + Guid.NewGuid().ToString("N")[..8];
        var obj = new JsonObject
        {
            ["apiVersion"] = collection.StartsWith("/api/", StringComparison.Ordinal) ? "v1" : string.Join('/', collection.Split('/')[2..4]),
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
        };
        switch (kind)
        {
            case "Pod":
                obj["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.27" }) };
                break;
            case "Service":
                obj["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) };
                break;
            case "StorageClass":
                obj["provisioner"] = "example.com/disk";
                break;
            case "ControllerRevision":
                obj["revision"] = 1;
                break;
        }

        var created = await Http.CreateAsync(collection, obj);

        var (status, body, _) = await Http.SendAsync(HttpMethod.Delete, $"{collection}/{name}");

        status.Should().Be(code, body.ToJsonString());
        ((string?)body["kind"]).Should().Be(answerKind);
        if (answerKind == "Status")
        {
            ((string?)body["status"]).Should().Be("Success");
            ((string?)body["details"]!["name"]).Should().Be(name);
            ((string?)body["details"]!["kind"]).Should().Be(collection.Split('/')[^1], "finalizeDelete names the resource, not the kind");
            ((string?)body["details"]!["uid"]).Should().Be((string?)created["metadata"]!["uid"]);
        }
        else
        {
            ((string?)body["metadata"]!["uid"]).Should().Be((string?)created["metadata"]!["uid"]);
        }
    }

    [Test]
    public async Task Delete_OfAnObjectHeldByAFinalizer_ReturnsItWithItsDeletionTimestamp_AndANamespaceReturnsItselfTerminating()
    {
        var held = KubeHttp.ConfigMap(Ns, "held");
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Http.CreateAsync($"/api/v1/namespaces/{Ns}/configmaps", held);

        var (code, body, _) = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/configmaps/held",
            new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["orphanDependents"] = false });

        code.Should().Be(202, "cascading deletion of an object that stays is accepted, not done");
        ((string?)body["kind"]).Should().Be("ConfigMap");
        body["metadata"]!["deletionTimestamp"].Should().NotBeNull();

        var (nsCode, ns, _) = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}");
        nsCode.Should().Be(200, ns.ToJsonString());
        ((string?)ns["kind"]).Should().Be("Namespace");
        ((string?)ns["status"]!["phase"]).Should().Be("Terminating");
    }

    [TestCase("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", "cert-manager:leaderelection", 201)]
    [TestCase("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", "a/b", 422)]
    [TestCase("v1", "configmaps", "ConfigMap", "cert-manager:leaderelection", 422)]
    [TestCase("v1", "services", "Service", "1st-service", 422)]
    [TestCase("v1", "services", "Service", "web.example", 422)]
    [TestCase("v1", "configmaps", "ConfigMap", "web.example", 201)]
    public async Task Names_AreCheckedByEachKindsRule(string apiVersion, string plural, string kind, string name, int code)
    {
        var namespaced = plural != "clusterroles";
        var path = apiVersion == "v1" ? $"/api/v1/namespaces/{Ns}/{plural}" : $"/apis/{apiVersion}/{plural}";
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } };
        if (kind == "Service")
        {
            obj["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) };
        }

        var (status, body, _) = await Http.SendAsync(HttpMethod.Post, path, obj);

        status.Should().Be(code, body.ToJsonString());
        if (code == 422 && kind == "Service")
        {
            ((string?)body["message"]).Should().Contain("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character");
        }

        _ = namespaced;
    }

    [Test]
    public async Task Annotations_OverTheTotalLimit_AreRefused()
    {
        var ok = KubeHttp.ConfigMap(Ns, "big");
        ok["metadata"]!["annotations"] = new JsonObject { ["a"] = new string('x', 262_143) };
        await Http.CreateAsync($"/api/v1/namespaces/{Ns}/configmaps", ok);
        var tooBig = KubeHttp.ConfigMap(Ns, "too-big");
        tooBig["metadata"]!["annotations"] = new JsonObject { ["a"] = new string('x', 262_000), ["bb"] = new string('y', 200) };

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps", tooBig);

        code.Should().Be(422);
        ((string?)body["message"]).Should().Be(
            "ConfigMap \"too-big\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    [TestCase("hmac-sha256:0123456789abcdef", "illegal base64 data at input byte 4")]
    [TestCase("aGVsbG8", "illegal base64 data at input byte 4")]
    public async Task SecretData_ThatIsNotBase64_IsRefused(string value, string message)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s" },
            ["data"] = new JsonObject { ["password"] = value },
        };

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/secrets", secret);

        code.Should().Be(400);
        ((string?)body["message"]).Should().Be($"Secret in version \"v1\" cannot be handled as a Secret: {message}");
    }

    [Test]
    public async Task ANoOpApply_OfACrd_WritesNothing_AndSendsNoEvent()
    {
        var (crd, _) = Crds.Widget();
        var path = $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd["metadata"]!["name"]}?fieldManager=kubectl&force=true";
        var (firstCode, first, _) = await Http.SendAsync(HttpMethod.Patch, path, crd, "application/apply-patch+yaml");
        firstCode.Should().Be(201, first.ToJsonString());
        using var watch = await Http.WatchAsync(
            $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions?watch=true&resourceVersion={first["metadata"]!["resourceVersion"]}");
        await Task.Delay(1100);

        var (secondCode, second, _) = await Http.SendAsync(HttpMethod.Patch, path, crd, "application/apply-patch+yaml");

        secondCode.Should().Be(200, second.ToJsonString());
        ((string?)second["metadata"]!["resourceVersion"]).Should().Be((string?)first["metadata"]!["resourceVersion"]);
        second["status"]!["conditions"]!.ToJsonString().Should().Be(first["status"]!["conditions"]!.ToJsonString());
        (await watch.ChangeWithinAsync(seconds: 2)).Should().BeNull("nothing was written");
    }

    [Test]
    public async Task ANoOpApplyOrUpdate_OfABuiltInObject_WritesNothing_AndSendsNoEvent()
    {
        var path = $"/api/v1/namespaces/{Ns}/configmaps/same";
        var configMap = KubeHttp.ConfigMap(Ns, "same", new Dictionary<string, string> { ["k"] = "v" });
        var (_, first, _) = await Http.SendAsync(HttpMethod.Patch, $"{path}?fieldManager=kubectl", configMap, "application/apply-patch+yaml");
        using var watch = await Http.WatchAsync($"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={first["metadata"]!["resourceVersion"]}");
        await Task.Delay(1100);

        var (_, applied, _) = await Http.SendAsync(HttpMethod.Patch, $"{path}?fieldManager=kubectl", configMap, "application/apply-patch+yaml");
        var (updateCode, updated, _) = await Http.SendAsync(HttpMethod.Put, path, applied);

        updateCode.Should().Be(200, updated.ToJsonString());
        ((string?)applied["metadata"]!["resourceVersion"]).Should().Be((string?)first["metadata"]!["resourceVersion"]);
        ((string?)updated["metadata"]!["resourceVersion"]).Should().Be((string?)first["metadata"]!["resourceVersion"]);
        applied["metadata"]!["managedFields"]!.ToJsonString().Should().Be(first["metadata"]!["managedFields"]!.ToJsonString());
        (await watch.ChangeWithinAsync(seconds: 2)).Should().BeNull("nothing was written");
    }

    private static IEnumerable<string?> Verbs(JsonObject resource) => resource["verbs"]!.AsArray().Select(verb => (string?)verb);
}
