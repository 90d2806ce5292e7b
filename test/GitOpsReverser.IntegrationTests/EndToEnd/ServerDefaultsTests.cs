using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// The sanitizer's de-defaulting on what a server really returns: manifests applied with kubectl to KubeSim
/// (whose defaulting follows the API server's) and read back with <c>kubectl get -o yaml</c> come out of
/// <c>gitops-reverser sanitize</c>, run with its defaults, exactly as the manifests themselves do.
/// </summary>
[Category("Integration")]
public sealed class ServerDefaultsTests
{
    private const string Manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports: [{containerPort: 80}]
                readinessProbe: {httpGet: {path: /healthz, port: 80}}
                env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
              volumes: [{name: config, configMap: {name: web-config}}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: pg, image: postgres:16, volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]}]
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: agent, image: fluent/fluent-bit:3.0}]
              volumes: [{name: logs, hostPath: {path: /var/log}}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop, labels: {team: data}}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: "migrate:2.1", args: [up]}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 6 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: report, image: busybox}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{port: 5432, targetPort: 5432}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: shop}
        spec:
          containers: [{name: debug, image: busybox:1.36, command: [sleep, "3600"], livenessProbe: {exec: {command: ["true"]}}}]
          tolerations: [{key: dedicated, operator: Equal, value: debug, effect: NoSchedule}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: cache, namespace: shop}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - host: shop.example.com
            http:
              paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          maxReplicas: 5
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress: [{ports: [{port: 80}]}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: shop}
        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: shop}
        data: {mode: fast}
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: shop-critical}
        value: 100000
        """;

    [Test]
    public async Task ObjectsReadBackFromTheServer_SanitizeToExactlyTheirManifests()
    {
        await using var testbed = await OperatorTestbed.StartAsync();
        (await testbed.KubectlAsync("create namespace shop")).ShouldSucceed();
        var manifests = testbed.Temp.Combine("manifests.yaml");
        await File.WriteAllTextAsync(manifests, Manifests);
        (await testbed.KubectlAsync($"apply -f {manifests}")).ShouldSucceed();
        var readBack = (await testbed.KubectlAsync("get deploy,sts,ds,job,cronjob,svc,pod,pvc,ing,hpa.v2.autoscaling,netpol,pdb,cm,priorityclass -n shop -o yaml")).ShouldSucceed().Output;
        readBack.Should().Contain("dnsPolicy: ClusterFirst").And.Contain("clusterIP: 10.").And.Contain("kube-api-access-")
            .And.Contain("batch.kubernetes.io/controller-uid").And.Contain("phase: Pending", "the server's defaults are in what is read back");
        var served = testbed.Temp.Combine("served.yaml");
        await File.WriteAllTextAsync(served, readBack);

        var fromManifests = await SanitizeAsync(manifests);
        var fromServer = await SanitizeAsync(served);

        fromManifests.Should().HaveCount(15);
        fromServer.Keys.Should().BeEquivalentTo(fromManifests.Keys);
        foreach (var (path, yaml) in fromManifests)
        {
            fromServer[path].Should().Be(yaml, path);
        }
    }

    // gitops-reverser sanitize with its defaults: each object's canonical YAML by its repository path.
    private static async Task<Dictionary<string, string>> SanitizeAsync(string file)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync($"sanitize -f {file}");
        exitCode.Should().Be(0, stderr);
        return stdout.Split("---\n").ToDictionary(document => document.Split('\n')[0], document => document);
    }
}
