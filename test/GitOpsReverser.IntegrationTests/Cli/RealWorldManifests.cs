namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary>
/// Manifests in the shape of what platform teams install (written here, after the published ones, which this
/// machine cannot download): prometheus-operator's CRDs with a ServiceMonitor and a PrometheusRule, cert-manager's
/// CRDs, webhook Deployment, an Issuer and a Certificate, Argo CD's server with its RBAC, settings, Secret,
/// NetworkPolicy and an AppProject, and a namespace of ordinary workloads.
/// </summary>
internal static class RealWorldManifests
{
    public static readonly string[] Namespaces = ["argocd", "cert-manager", "monitoring", "shop"];

    public const string Crds = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: servicemonitors.monitoring.coreos.com
          annotations: {controller-gen.kubebuilder.io/version: v0.16.1, operator.prometheus.io/version: 0.78.0}
        spec:
          group: monitoring.coreos.com
          scope: Namespaced
          names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor, shortNames: [smon], categories: [prometheus-operator]}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  required: [spec]
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [selector]
                      properties:
                        jobLabel: {type: string}
                        endpoints:
                          type: array
                          items:
                            type: object
                            properties:
                              port: {type: string}
                              path: {type: string}
                              interval: {type: string, pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'}
                              scheme: {type: string, enum: [http, https, HTTP, HTTPS]}
                        namespaceSelector:
                          type: object
                          properties:
                            any: {type: boolean}
                            matchNames: {type: array, items: {type: string}}
                        selector:
                          type: object
                          properties:
                            matchLabels: {type: object, additionalProperties: {type: string}}
                          x-kubernetes-map-type: atomic
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: prometheusrules.monitoring.coreos.com}
        spec:
          group: monitoring.coreos.com
          scope: Namespaced
          names: {kind: PrometheusRule, listKind: PrometheusRuleList, plural: prometheusrules, singular: prometheusrule, shortNames: [promrule]}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  required: [spec]
                  properties:
                    spec:
                      type: object
                      properties:
                        groups:
                          type: array
                          items:
                            type: object
                            required: [name]
                            properties:
                              name: {type: string, minLength: 1}
                              interval: {type: string}
                              rules:
                                type: array
                                items:
                                  type: object
                                  properties:
                                    alert: {type: string}
                                    record: {type: string}
                                    expr: {x-kubernetes-int-or-string: true}
                                    for: {type: string}
                                    labels: {type: object, additionalProperties: {type: string}}
                                    annotations: {type: object, additionalProperties: {type: string}}
                          x-kubernetes-list-map-keys: [name]
                          x-kubernetes-list-type: map
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: certificates.cert-manager.io
          labels: {app: cert-manager, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: cert-manager}
        spec:
          group: cert-manager.io
          scope: Namespaced
          names: {kind: Certificate, listKind: CertificateList, plural: certificates, singular: certificate, shortNames: [cert, certs], categories: [cert-manager]}
          versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              additionalPrinterColumns:
                - {jsonPath: .spec.secretName, name: Secret, type: string}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [issuerRef, secretName]
                      properties:
                        commonName: {type: string}
                        dnsNames: {type: array, items: {type: string}}
                        duration: {type: string}
                        renewBefore: {type: string}
                        secretName: {type: string}
                        issuerRef:
                          type: object
                          required: [name]
                          properties:
                            group: {type: string}
                            kind: {type: string}
                            name: {type: string}
                        privateKey:
                          type: object
                          properties:
                            algorithm: {type: string, enum: [RSA, ECDSA, Ed25519]}
                            size: {type: integer}
                            rotationPolicy: {type: string, enum: [Never, Always]}
                    status: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: issuers.cert-manager.io
          labels: {app: cert-manager, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: cert-manager}
        spec:
          group: cert-manager.io
          scope: Namespaced
          names: {kind: Issuer, listKind: IssuerList, plural: issuers, singular: issuer, categories: [cert-manager]}
          versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    status: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: appprojects.argoproj.io
          labels: {app.kubernetes.io/name: appprojects.argoproj.io, app.kubernetes.io/part-of: argocd}
        spec:
          group: argoproj.io
          scope: Namespaced
          names: {kind: AppProject, listKind: AppProjectList, plural: appprojects, singular: appproject, shortNames: [appproj, appprojs]}
          versions:
            - name: v1alpha1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  required: [metadata, spec]
                  properties:
                    spec:
                      type: object
                      properties:
                        description: {type: string}
                        sourceRepos: {type: array, items: {type: string}}
                        destinations:
                          type: array
                          items:
                            type: object
                            properties:
                              namespace: {type: string}
                              server: {type: string}
                              name: {type: string}
                        clusterResourceWhitelist:
                          type: array
                          items:
                            type: object
                            required: [group, kind]
                            properties:
                              group: {type: string}
                              kind: {type: string}
        """;

    public const string Objects = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: argocd-server
          namespace: argocd
          labels: {app.kubernetes.io/component: server, app.kubernetes.io/name: argocd-server, app.kubernetes.io/part-of: argocd}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: argocd-server
          namespace: argocd
          labels: {app.kubernetes.io/component: server, app.kubernetes.io/name: argocd-server, app.kubernetes.io/part-of: argocd}
        rules:
          - apiGroups: [""]
            resources: [secrets, configmaps]
            verbs: [create, get, list, watch, update, patch, delete]
          - apiGroups: [argoproj.io]
            resources: [applications, appprojects, applicationsets]
            verbs: [create, get, list, watch, update, delete, patch]
          - apiGroups: [""]
            resources: [events]
            verbs: [create, list]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: argocd-server
          namespace: argocd
          labels: {app.kubernetes.io/component: server, app.kubernetes.io/name: argocd-server, app.kubernetes.io/part-of: argocd}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: argocd-server}
        subjects: [{kind: ServiceAccount, name: argocd-server}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          namespace: argocd
          labels: {app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd}
        data:
          url: https://argocd.example.com
          admin.enabled: "true"
          timeout.reconciliation: 180s
          resource.exclusions: |
            - apiGroups: ["cilium.io"]
              kinds: ["CiliumIdentity"]
              clusters: ["*"]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-rbac-cm
          namespace: argocd
          labels: {app.kubernetes.io/name: argocd-rbac-cm, app.kubernetes.io/part-of: argocd}
        data:
          policy.default: role:readonly
          policy.csv: |
            p, role:org-admin, applications, *, */*, allow
            g, platform-team, role:org-admin
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: argocd-secret
          namespace: argocd
          labels: {app.kubernetes.io/name: argocd-secret, app.kubernetes.io/part-of: argocd}
        type: Opaque
        stringData:
          server.secretkey: 8f3c2e1a9b7d6c5e4f3a2b1c0d9e8f7a
          webhook.github.secret: gh-webhook-shared-secret
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: argocd-server
          namespace: argocd
          labels: {app.kubernetes.io/component: server, app.kubernetes.io/name: argocd-server, app.kubernetes.io/part-of: argocd}
        spec:
          ports:
            - {name: http, port: 80, protocol: TCP, targetPort: 8080}
            - {name: https, port: 443, protocol: TCP, targetPort: 8080}
          selector: {app.kubernetes.io/name: argocd-server}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: argocd-server
          namespace: argocd
          labels: {app.kubernetes.io/component: server, app.kubernetes.io/name: argocd-server, app.kubernetes.io/part-of: argocd}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: argocd-server}}
          template:
            metadata:
              labels: {app.kubernetes.io/name: argocd-server}
            spec:
              serviceAccountName: argocd-server
              containers:
                - name: argocd-server
                  image: quay.io/argoproj/argocd:v2.13.1
                  args: [/usr/local/bin/argocd-server]
                  env:
                    - name: ARGOCD_SERVER_INSECURE
                      valueFrom: {configMapKeyRef: {name: argocd-cmd-params-cm, key: server.insecure, optional: true}}
                  ports:
                    - {containerPort: 8080}
                    - {containerPort: 8083}
                  readinessProbe:
                    httpGet: {path: /healthz, port: 8080}
                    initialDelaySeconds: 3
                    periodSeconds: 30
                  securityContext:
                    allowPrivilegeEscalation: false
                    capabilities: {drop: [ALL]}
                    readOnlyRootFilesystem: true
                    runAsNonRoot: true
                  volumeMounts:
                    - {mountPath: /app/config/ssh, name: ssh-known-hosts}
                    - {mountPath: /tmp, name: tmp}
              volumes:
                - name: ssh-known-hosts
                  configMap: {name: argocd-ssh-known-hosts-cm}
                - name: tmp
                  emptyDir: {}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: argocd-server-network-policy, namespace: argocd}
        spec:
          podSelector: {matchLabels: {app.kubernetes.io/name: argocd-server}}
          policyTypes: [Ingress]
          ingress: [{}]
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: platform, namespace: argocd}
        spec:
          description: The platform team's applications
          sourceRepos: ["https://git.example.com/platform/*"]
          destinations: [{namespace: "*", server: https://kubernetes.default.svc}]
          clusterResourceWhitelist: [{group: "", kind: Namespace}]
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: cert-manager-webhook
          namespace: cert-manager
          labels: {app: webhook, app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: cert-manager-webhook
          namespace: cert-manager
          labels: {app: webhook, app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
        spec:
          type: ClusterIP
          ports: [{name: https, port: 443, protocol: TCP, targetPort: https}]
          selector: {app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cert-manager-webhook
          namespace: cert-manager
          labels: {app: webhook, app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
        spec:
          replicas: 1
          selector:
            matchLabels: {app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
          template:
            metadata:
              labels: {app: webhook, app.kubernetes.io/component: webhook, app.kubernetes.io/instance: cert-manager, app.kubernetes.io/name: webhook}
            spec:
              serviceAccountName: cert-manager-webhook
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: cert-manager-webhook
                  image: quay.io/jetstack/cert-manager-webhook:v1.16.2
                  args: [--v=2, --secure-port=10250, --dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE), --dynamic-serving-ca-secret-name=cert-manager-webhook-ca]
                  ports:
                    - {name: https, containerPort: 10250, protocol: TCP}
                    - {name: healthcheck, containerPort: 6080, protocol: TCP}
                  livenessProbe:
                    httpGet: {path: /livez, port: 6080, scheme: HTTP}
                    initialDelaySeconds: 60
                  env:
                    - name: POD_NAMESPACE
                      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
              nodeSelector: {kubernetes.io/os: linux}
        ---
        apiVersion: cert-manager.io/v1
        kind: Issuer
        metadata: {name: selfsigned, namespace: cert-manager}
        spec: {selfSigned: {}}
        ---
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: shop-tls, namespace: cert-manager}
        spec:
          secretName: shop-tls
          commonName: shop.example.com
          dnsNames: [shop.example.com, www.shop.example.com]
          duration: 2160h
          renewBefore: 360h
          issuerRef: {name: selfsigned, kind: Issuer, group: cert-manager.io}
          privateKey: {algorithm: ECDSA, size: 256, rotationPolicy: Always}
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: argocd-server-metrics
          namespace: monitoring
          labels: {release: prometheus-operator}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: argocd-server-metrics}}
          namespaceSelector: {matchNames: [argocd]}
          endpoints: [{port: metrics, interval: 30s}]
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: shop-alerts
          namespace: monitoring
          labels: {prometheus: k8s, role: alert-rules}
        spec:
          groups:
            - name: shop.rules
              rules:
                - alert: ShopHighErrorRate
                  expr: sum(rate(http_requests_total{job="shop",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="shop"}[5m])) > 0.05
                  for: 10m
                  labels: {severity: critical}
                  annotations: {summary: More than 5% of the shop's requests fail}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-config, namespace: shop, labels: {app: web}}
        data: {mode: fast, feature.checkout: "on", log.level: info}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        type: Opaque
        stringData: {user: shop, password: s3cr3t-p4ssw0rd}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: registry.example.com/shop/web:1.4.2
                  ports: [{containerPort: 8080}]
                  envFrom: [{configMapRef: {name: app-config}}, {secretRef: {name: db}}]
                  resources:
                    requests: {cpu: 100m, memory: 128Mi}
                    limits: {memory: 256Mi}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly-report, namespace: shop}
        spec:
          schedule: "0 2 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: report, image: registry.example.com/shop/report:2.0.0, args: [--since=24h]}]
        """;
}
