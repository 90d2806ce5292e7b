namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The fields KubeSim reads of one protobuf message of the Kubernetes API (numbers from the API's
/// <c>generated.proto</c> files), each with its JSON name and shape. Fields not listed are ignored.
/// </summary>
internal sealed class ProtobufSchema
{
    private readonly Dictionary<int, (string Name, Shape Shape, ProtobufSchema? Message)> fields = [];

    /// <summary>How a field's payload becomes JSON.</summary>
    public enum Shape
    {
        /// <summary>A string; empty ones are left out, as the API's JSON omits them.</summary>
        Text,

        /// <summary>A varint that is written as a JSON number.</summary>
        Number,

        /// <summary>A varint written as true or false.</summary>
        Flag,

        /// <summary>A nested message.</summary>
        Nested,

        /// <summary>A repeated string, as a JSON array.</summary>
        TextList,

        /// <summary>A repeated nested message, as a JSON array.</summary>
        NestedList,

        /// <summary>A <c>map&lt;string, string&gt;</c>.</summary>
        TextMap,

        /// <summary>A <c>map&lt;string, bytes&gt;</c>, values written as base64.</summary>
        BytesMap,

        /// <summary>A varint of a non-pointer field the JSON leaves out when zero (<c>omitempty</c>).</summary>
        NumberOmitZero,

        /// <summary>A varint flag of a non-pointer field the JSON leaves out when false.</summary>
        FlagOmitFalse,

        /// <summary>An <c>intstr.IntOrString</c> (type 1, intVal 2, strVal 3): a JSON number or string.</summary>
        IntOrString,

        /// <summary>A <c>map&lt;string, resource.Quantity&gt;</c>: each Quantity (string 1) as a JSON string.</summary>
        QuantityMap,

        /// <summary>An embedded struct whose fields JSON inlines into the parent (an Ingress rule's <c>http</c>).</summary>
        Inline,
    }

    public ProtobufSchema Field(int number, string name, Shape shape, ProtobufSchema? message = null)
    {
        fields[number] = (name, shape, message);
        return this;
    }

    public bool TryGet(int number, out (string Name, Shape Shape, ProtobufSchema? Message) field) => fields.TryGetValue(number, out field);
}
