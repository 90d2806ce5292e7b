using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Validation;

/// <summary>
/// A CRD whose schema a real API server would refuse (not structural, a default that does not validate, a
/// pattern or CEL rule that does not compile) is refused with the API server's message, as kubectl 1.34 prints it.
/// </summary>
[Category("Integration")]
public sealed class CrdSchemaValidationTests() : KubectlFixture("installed")
{
    private const string Prefix = "The CustomResourceDefinition \"things.refused.example.com\" is invalid: ";

    private static string Crd(string specProperties, string versions = "") => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: things.refused.example.com}
        spec:
          group: refused.example.com
          scope: Namespaced
          names: {plural: things, singular: thing, kind: Thing}
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
                    properties:
        {{specProperties}}
        {{versions}}
        """;

    [TestCase("              x: {description: no type}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[x].type: Required value: must not be empty for specified object fields")]
    [TestCase("              x: {type: array}", "spec.validation.openAPIV3Schema.properties[spec].properties[x].items: Required value: must be specified")]
    [TestCase("              x: {type: array, items: {description: no type}}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[x].items.type: Required value: must not be empty for specified array items")]
    [TestCase("              count: {type: integer, default: many}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[count].default: Invalid value: \"string\":  in body must be of type integer: \"string\"")]
    [TestCase("              mode: {type: string, enum: [A, B], default: C}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[mode].default: Unsupported value: \"C\": supported values: \"A\", \"B\"")]
    [TestCase("              name: {type: string, pattern: '[a-'}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: \"[a-\": must be a valid regular expression, but isn't: ")]
    [TestCase("              tags: {type: array, uniqueItems: true, items: {type: string}}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic")]
    [TestCase("              ports: {type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[ports].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map")]
    [TestCase("              ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property")]
    [TestCase("              x: {type: string, x-kubernetes-validations: [{rule: 'self ==', message: broken}]}",
        "spec.validation.openAPIV3Schema.properties[spec].properties[x].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self ==\", Message:\"broken\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>'")]
    public async Task Create_InvalidSchema_IsRefused(string properties, string message)
    {
        var result = await Kubectl.RunAsync("apply -f -", Crd(properties));

        result.ExitCode.Should().NotBe(0, result.Output);
        result.Error.Trim().Should().StartWith(Prefix + message);
        (await Kubectl.RunAsync("get crd things.refused.example.com")).ExitCode.Should().NotBe(0, "nothing was created");
    }

    [Test]
    public async Task Create_VersionWithoutSchema_IsRefused_AndDifferentSchemasAreReportedPerVersion()
    {
        var crd = Crd("              x: {type: string}", """
              - name: v2
                served: true
                storage: false
            """);

        var result = await Kubectl.RunAsync("apply -f -", crd);

        result.Error.Trim().Should().Be(Prefix + "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required");
    }

    [Test]
    public async Task Create_ValidSchemaWithDefaultsAndRules_IsAccepted()
    {
        var crd = Crd("""
                          mode: {type: string, enum: [A, B], default: A}
                          count: {type: integer, default: 3, minimum: 1}
                          port: {x-kubernetes-int-or-string: true}
                          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          x: {type: string, x-kubernetes-validations: [{rule: "self.size() < 10", message: short}]}
            """.Replace("            ", "", StringComparison.Ordinal));

        (await Kubectl.RunAsync("apply -f -", crd)).ShouldSucceed();
        (await Kubectl.RunAsync("delete crd things.refused.example.com")).ShouldSucceed();
    }
}
