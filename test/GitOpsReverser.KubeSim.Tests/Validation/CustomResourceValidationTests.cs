using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Validation;

/// <summary>
/// Custom resources are validated against their CRD's schema as a real API server 1.34 validates them, each
/// rule pinned by the message the real kubectl 1.34 prints for KubeSim's answer.
/// </summary>
[Category("Integration")]
public sealed class CustomResourceValidationTests() : KubectlFixture("installed")
{
    private const string Group = "validation.example.com";

    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gauges.validation.example.com}
        spec:
          group: validation.example.com
          scope: Namespaced
          names: {plural: gauges, singular: gauge, kind: Gauge}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [mode]
                    properties:
                      mode: {type: string, enum: [PerChange, Window]}
                      window: {type: string}
                      count: {type: integer, minimum: 1, maximum: 10}
                      ratio: {type: number, maximum: 1, exclusiveMaximum: true}
                      name: {type: string, minLength: 2, maxLength: 5, pattern: '^[a-z]+$'}
                      email: {type: string, format: email}
                      when: {type: string, format: date-time}
                      big: {type: integer, format: int64}
                      port: {x-kubernetes-int-or-string: true}
                      tags:
                        type: array
                        minItems: 1
                        maxItems: 3
                        x-kubernetes-list-type: set
                        items: {type: string}
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            port: {type: integer}
                      limits:
                        type: object
                        additionalProperties: {type: integer}
                      note: {type: string, nullable: true}
                      level: {type: string, default: low}
                  status:
                    type: object
                    properties:
                      phase: {type: string, enum: [Ready, Failed]}
                      count: {type: integer}
                      lastTime: {type: string, format: date-time}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: dials.validation.example.com}
        spec:
          group: validation.example.com
          scope: Namespaced
          names: {plural: dials, singular: dial, kind: Dial}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [mode]
                    x-kubernetes-validations:
                    - rule: "self.mode == 'Window' || !has(self.window)"
                      message: window is only allowed with mode Window
                    - rule: "self.mode == oldSelf.mode"
                      message: mode is immutable
                    - rule: "!has(self.name) || self.name != 'root'"
                      fieldPath: .name
                      reason: FieldValueForbidden
                      messageExpression: "'name ' + self.name + ' is reserved'"
                    properties:
                      mode: {type: string, enum: [PerChange, Window]}
                      window: {type: string}
                      name: {type: string}
                      count: {type: integer}
        """;

    [OneTimeSetUp]
    public async Task InstallCrdAsync() => (await Kubectl.RunAsync("apply -f -", Crd)).ShouldSucceed();

    private static string Gauge(string spec, string name = "g", string kind = "Gauge") => $$"""
        apiVersion: {{Group}}/v1
        kind: {{kind}}
        metadata: {name: {{name}}}
        spec:
        {{spec}}
        """;

    private Task<KubectlResult> Apply(string yaml) => Kubectl.RunAsync($"-n {Ns} apply -f -", yaml);

    private async Task<string> Refused(string spec, string kind = "Gauge")
    {
        var result = await Apply(Gauge(spec, kind: kind));
        result.ExitCode.Should().NotBe(0, result.Output);
        return result.Error.Trim();
    }

    [TestCase("  mode: encrypt", "spec.mode: Unsupported value: \"encrypt\": supported values: \"PerChange\", \"Window\"")]
    [TestCase("  mode: PerChange\n  count: many", "spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"")]
    [TestCase("  mode: PerChange\n  count: 1.5", "spec.count: Invalid value: \"number\": spec.count in body must be of type integer: \"number\"")]
    [TestCase("  window: 5s", "spec.mode: Required value")]
    [TestCase("  mode: PerChange\n  count: 11", "spec.count: Invalid value: 11: spec.count in body should be less than or equal to 10")]
    [TestCase("  mode: PerChange\n  count: 0", "spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1")]
    [TestCase("  mode: PerChange\n  ratio: 1", "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1")]
    [TestCase("  mode: PerChange\n  name: x", "spec.name: Invalid value: \"x\": spec.name in body should be at least 2 chars long")]
    [TestCase("  mode: PerChange\n  name: abcdef", "spec.name: Too long: may not be more than 5 bytes")]
    [TestCase("  mode: PerChange\n  name: AB", "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'")]
    [TestCase("  mode: PerChange\n  email: nobody", "spec.email: Invalid value: \"nobody\": spec.email in body must be of type email: \"nobody\"")]
    [TestCase("  mode: PerChange\n  when: yesterday", "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"")]
    [TestCase("  mode: PerChange\n  port: true", "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"")]
    [TestCase("  mode: PerChange\n  tags: []", "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items")]
    [TestCase("  mode: PerChange\n  tags: [a, b, c, d]", "spec.tags: Too many: 4: must have at most 3 items")]
    [TestCase("  mode: PerChange\n  tags: [a, b, a]", "spec.tags[2]: Duplicate value: \"a\"")]
    [TestCase("  mode: PerChange\n  ports: [{name: http, port: 80}, {name: http, port: 81}]",
        "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}")]
    [TestCase("  mode: PerChange\n  ports: [{port: 80}]", "spec.ports[0].name: Required value")]
    [TestCase("  mode: PerChange\n  limits: {cpu: lots}", "spec.limits.cpu: Invalid value: \"string\": spec.limits.cpu in body must be of type integer: \"string\"")]
    public async Task Create_BreakingARule_IsRefusedWithTheApiServersMessage(string spec, string message)
    {
        (await Refused(spec)).Should().Be($"The Gauge \"g\" is invalid: {message}");
    }

    [TestCase("  mode: PerChange\n  window: 5s", "spec: Invalid value: \"object\": window is only allowed with mode Window")]
    [TestCase("  mode: PerChange\n  name: root", "spec.name: Forbidden: name root is reserved")]
    public async Task Create_BreakingACelRule_IsRefusedWithItsMessage(string spec, string message)
    {
        (await Refused(spec, "Dial")).Should().Be($"The Dial \"g\" is invalid: {message}");
    }

    [Test]
    public async Task Create_SeveralErrors_AreListedOneAPerLine_AndCelWaitsForTheSchemaErrors()
    {
        var error = await Refused("  mode: encrypt\n  count: many", "Dial");

        // kubectl sends the CRD with its keys sorted, so count is checked before mode.
        error.Should().Be("The Dial \"g\" is invalid: \n" +
            "* spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"\n" +
            "* spec.mode: Unsupported value: \"encrypt\": supported values: \"PerChange\", \"Window\"\n" +
            "* <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Test]
    public async Task Create_ValidValues_AreAccepted_IncludingInt64IntOrStringAndDates()
    {
        (await Apply(Gauge("""
              mode: Window
              window: 5s
              count: 10
              ratio: 0.5
              name: abc
              email: ops@example.com
              when: "2026-12-06T10:00:00Z"
              big: 9007199254740993
              port: http
              tags: [a, b]
              ports: [{name: http, port: 80}, {name: https, port: 443}]
              limits: {cpu: 2}
            """))).ShouldSucceed();
        (await Apply(Gauge("  mode: PerChange\n  port: 8080", "numeric-port"))).ShouldSucceed();
    }

    [Test]
    public async Task Nulls_NonNullableTakesItsDefaultOrIsDropped_NullableIsKept()
    {
        // kubectl apply drops nulls before it sends an object; create --raw sends them.
        var body = $$$"""{"apiVersion":"{{{Group}}}/v1","kind":"Gauge","metadata":{"name":"g"},"spec":{"mode":"PerChange","level":null,"count":null,"note":null}}""";
        (await Kubectl.RunAsync($"create --raw /apis/{Group}/v1/namespaces/{Ns}/gauges -f -", body)).ShouldSucceed();

        var spec = (await Kubectl.RunAsync($"-n {Ns} get gauge g -o jsonpath={{.spec}}")).ShouldSucceed().Output;
        spec.Should().Be("""{"level":"low","mode":"PerChange","note":null}""");
    }

    [Test]
    public async Task Update_TransitionRule_ComparesWithTheOldObject()
    {
        (await Apply(Gauge("  mode: PerChange", kind: "Dial"))).ShouldSucceed();

        var result = await Kubectl.RunAsync($"-n {Ns} patch dial g --type=merge -p {{\"spec\":{{\"mode\":\"Window\"}}}}");

        result.ExitCode.Should().NotBe(0);
        result.Error.Trim().Should().Be("The Dial \"g\" is invalid: spec: Invalid value: \"object\": mode is immutable");
        (await Kubectl.RunAsync($"-n {Ns} patch dial g --type=merge -p {{\"spec\":{{\"count\":2}}}}")).ShouldSucceed();
    }

    [Test]
    public async Task StatusSubresource_IsValidatedToo()
    {
        (await Apply(Gauge("  mode: PerChange"))).ShouldSucceed();

        var phase = await Kubectl.RunAsync($"-n {Ns} patch gauge g --subresource=status --type=merge -p {{\"status\":{{\"phase\":\"Maybe\"}}}}");
        var time = await Kubectl.RunAsync($"-n {Ns} patch gauge g --subresource=status --type=merge -p {{\"status\":{{\"lastTime\":\"yesterday\"}}}}");
        var count = await Kubectl.RunAsync($"-n {Ns} patch gauge g --subresource=status --type=merge -p {{\"status\":{{\"count\":\"many\"}}}}");

        phase.Error.Trim().Should().Be("The Gauge \"g\" is invalid: status.phase: Unsupported value: \"Maybe\": supported values: \"Ready\", \"Failed\"");
        time.Error.Trim().Should().Be(
            "The Gauge \"g\" is invalid: status.lastTime: Invalid value: \"yesterday\": status.lastTime in body must be of type date-time: \"yesterday\"");
        count.Error.Trim().Should().Be(
            "The Gauge \"g\" is invalid: status.count: Invalid value: \"string\": status.count in body must be of type integer: \"string\"");
        (await Kubectl.RunAsync($"-n {Ns} patch gauge g --subresource=status --type=merge -p {{\"status\":{{\"phase\":\"Ready\",\"count\":3}}}}"))
            .ShouldSucceed();
    }

    [Test]
    public async Task ServerSideApply_IsValidated()
    {
        var result = await Kubectl.RunAsync($"-n {Ns} apply --server-side -f -", Gauge("  mode: encrypt"));

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("spec.mode: Unsupported value: \"encrypt\"");
    }
}
