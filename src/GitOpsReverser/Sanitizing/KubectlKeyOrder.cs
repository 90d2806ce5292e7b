namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Orders mapping keys the way <c>kubectl get -o yaml</c> prints them (go-yaml's encoder): letters compare by
/// code point, runs of digits compare as numbers (<c>item2</c> before <c>item10</c>), and at the first
/// difference a non-letter sorts before a letter unless a digit came just before.
/// </summary>
internal sealed class KubectlKeyOrder : IComparer<string>
{
    public static readonly KubectlKeyOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        if (Less(x, y))
        {
            return -1;
        }

        // Ties (equal strings) fall back to ordinal so that the order is total and deterministic.
        return Less(y, x) ? 1 : string.CompareOrdinal(x, y);
    }

    private static bool Less(string a, string b)
    {
        var afterDigit = false;
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] == b[i])
            {
                afterDigit = char.IsDigit(a[i]);
                continue;
            }

            var aLetter = char.IsLetter(a[i]);
            var bLetter = char.IsLetter(b[i]);
            if (aLetter && bLetter)
            {
                return a[i] < b[i];
            }

            if (aLetter || bLetter)
            {
                return afterDigit ? aLetter : bLetter;
            }

            return LessNumeric(a, b, i);
        }

        return a.Length < b.Length;
    }

    private static bool LessNumeric(string a, string b, int i)
    {
        long aNumber = 0, bNumber = 0;

        // A zero after a non-zero digit run is part of a larger number, not a leading zero.
        if (a[i] == '0' || b[i] == '0')
        {
            for (var j = i - 1; j >= 0 && char.IsDigit(a[j]); j--)
            {
                if (a[j] != '0')
                {
                    aNumber = 1;
                    bNumber = 1;
                    break;
                }
            }
        }

        var aEnd = i;
        for (; aEnd < a.Length && char.IsDigit(a[aEnd]); aEnd++)
        {
            aNumber = unchecked((aNumber * 10) + (long)char.GetNumericValue(a[aEnd]));
        }

        var bEnd = i;
        for (; bEnd < b.Length && char.IsDigit(b[bEnd]); bEnd++)
        {
            bNumber = unchecked((bNumber * 10) + (long)char.GetNumericValue(b[bEnd]));
        }

        if (aNumber != bNumber)
        {
            return aNumber < bNumber;
        }

        return aEnd != bEnd ? aEnd < bEnd : a[i] < b[i];
    }
}
