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
    }

    public ProtobufSchema Field(int number, string name, Shape shape, ProtobufSchema? message = null)
    {
        fields[number] = (name, shape, message);
        return this;
    }

    public bool TryGet(int number, out (string Name, Shape Shape, ProtobufSchema? Message) field) => fields.TryGetValue(number, out field);
}
