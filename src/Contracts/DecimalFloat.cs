namespace Vectord.Contracts;

/// <summary>
/// Fast, exactly rounded parsing of the JSON numbers that make up nearly every vector: at most 15 significant digits
/// and a decimal exponent within ±22. Such a number is <c>w × 10^e</c> with <c>w</c> and <c>10^|e|</c> both exact
/// in a <see cref="double"/>, so one multiplication or division gives the correctly rounded double (Clinger's fast
/// path). Rounding that double to a <see cref="float"/> is then the correctly rounded float of the decimal, except
/// when the double lands exactly halfway between two floats; that case, and every number outside the fast path,
/// is left to the general parser.
/// </summary>
internal static class DecimalFloat
{
    private const ulong MaxExactMantissa = 1UL << 53;
    private const int MaxExactPower = 22;
    private const int MaxExponentDigits = 4;

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses a number token already validated by <see cref="System.Text.Json.Utf8JsonReader"/> (JSON number
    /// grammar). Returns false, leaving the number to the general parser, when the fast path cannot answer exactly.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value) =>
        TryScan(text, 0, out value, out int end) && end == text.Length;

    /// <summary>
    /// Reads the JSON number that starts at <paramref name="start"/>, checking the JSON grammar as it goes
    /// (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>), and stops at the first byte that cannot continue
    /// it; <paramref name="end"/> is the index of that byte. False when the text there is not a JSON number or the
    /// fast path cannot answer it exactly.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> text, int start, out float value, out int end)
    {
        value = 0;
        end = start;
        int i = start;
        bool negative = false;
        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }
        if (i >= text.Length || !IsDigit(text[i]))
        {
            return false;
        }

        ulong mantissa = 0;
        int digits = 0;        // significant digits taken into the mantissa (leading zeros excluded)
        int exponent = 0;      // decimal exponent to apply to the mantissa
        if (text[i] == (byte)'0')
        {
            i++;               // a leading zero stands alone: "01" is not a JSON number
        }
        else
        {
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (!Take(text[i], ref mantissa, ref digits))
                {
                    return false;
                }
            }
        }
        if (i < text.Length && text[i] == (byte)'.')
        {
            int first = ++i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (!Take(text[i], ref mantissa, ref digits))
                {
                    return false;
                }
                exponent--;
            }
            if (i == first)
            {
                return false;
            }
        }
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }
            int written = 0;
            int first = i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (i - first >= MaxExponentDigits)
                {
                    return false;
                }
                written = written * 10 + (text[i] - '0');
            }
            if (i == first)
            {
                return false;
            }
            exponent += negativeExponent ? -written : written;
        }

        end = i;
        return TryCompose(mantissa, exponent, negative, out value);
    }

    private static bool TryCompose(ulong mantissa, int exponent, bool negative, out float value)
    {
        value = 0;
        if (mantissa == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }
        if (mantissa > MaxExactMantissa || exponent < -MaxExactPower || exponent > MaxExactPower)
        {
            return false;
        }

        double exact = exponent >= 0 ? mantissa * s_powersOfTen[exponent] : mantissa / s_powersOfTen[-exponent];
        float rounded = (float)exact;
        double back = rounded;
        if (back != exact)
        {
            // Ambiguous only when the double sits exactly halfway to the neighbouring float on its side.
            double neighbour = back < exact ? MathF.BitIncrement(rounded) : MathF.BitDecrement(rounded);
            if (exact - back == neighbour - exact)
            {
                return false;
            }
        }
        value = negative ? -rounded : rounded;
        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool Take(byte c, ref ulong mantissa, ref int digits)
    {
        int digit = c - '0';
        if (mantissa == 0 && digit == 0)
        {
            return true;   // a leading zero adds nothing
        }
        if (++digits > 15)
        {
            return false;
        }
        mantissa = mantissa * 10 + (ulong)digit;
        return true;
    }
}
