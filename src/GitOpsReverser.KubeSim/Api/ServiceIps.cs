using System.Net;
using System.Security.Cryptography;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Cluster IPs for Services from the default service CIDR 10.96.0.0/12, as the API server's allocator hands them
/// out: each once (a taken address is never given twice while its Service exists), <c>10.96.0.1</c> kept for the
/// <c>kubernetes</c> Service; and node ports from 30000-32767.
/// </summary>
internal sealed class ServiceIps(Func<IEnumerable<string>> taken, Func<IEnumerable<long>> takenNodePorts)
{
    private static readonly uint First = ToNumber(IPAddress.Parse("10.96.0.2"));
    private static readonly uint Last = ToNumber(IPAddress.Parse("10.111.255.254"));

    public string Allocate()
    {
        var used = taken().ToHashSet(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = new IPAddress(BitConverterBigEndian(First + (uint)RandomNumberGenerator.GetInt32((int)(Last - First)))).ToString();
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var number = First; number <= Last; number++)
        {
            var candidate = new IPAddress(BitConverterBigEndian(number)).ToString();
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException(500, "InternalError", "failed to allocate a serviceIP: range is full", null);
    }

    public int AllocateNodePort()
    {
        var used = takenNodePorts().ToHashSet();
        var start = RandomNumberGenerator.GetInt32(30000, 32768);
        for (var offset = 0; offset < 2768; offset++)
        {
            var candidate = 30000 + ((start - 30000 + offset) % 2768);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException(500, "InternalError", "failed to allocate a nodePort: range is full", null);
    }

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static byte[] BitConverterBigEndian(uint number) => [(byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number];
}
