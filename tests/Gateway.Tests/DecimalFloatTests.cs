using System.Globalization;
using System.Text;
using Vectord.Contracts;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Tests;

/// <summary>The fast number path must give exactly the float the general parser gives, or decline.</summary>
public sealed class DecimalFloatTests
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("0", 0f)]
    [InlineData("255", 255f)]
    [InlineData("-17", -17f)]
    [InlineData("0.5", 0.5f)]
    [InlineData("-0.125", -0.125f)]
    [InlineData("1e3", 1000f)]
    [InlineData("2.5E-3", 0.0025f)]
    [InlineData("1e+2", 100f)]
    [InlineData("0.000001", 1e-6f)]
    [InlineData("123456789012345", 123456789012345f)]
    [InlineData("0.1", 0.1f)]
    public void Common_numbers_take_the_fast_path_and_round_exactly(string text, float expected)
    {
        Assert.True(DecimalFloat.TryParse(Encoding.ASCII.GetBytes(text), out float value));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(value));
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        Assert.True(DecimalFloat.TryParse("-0.0"u8, out float value));
        Assert.True(float.IsNegative(value) && value == 0);
    }

    [Theory]
    [InlineData("16777217")]                 // exactly halfway between two floats: ties to even needs the general parser
    [InlineData("1234567890123456")]         // 16 significant digits
    [InlineData("0.12345678901234568")]      // a double printed in full
    [InlineData("1e23")]                     // beyond the exact powers of ten
    [InlineData("1e-23")]
    [InlineData("1e99999")]
    [InlineData("3.5e38")]
    public void Numbers_beyond_the_fast_path_are_declined(string text)
    {
        Assert.False(DecimalFloat.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Random_numbers_in_every_common_spelling_parse_to_the_general_parsers_float()
    {
        var random = new Random(20261125);
        int fast = 0;
        for (int n = 0; n < 200_000; n++)
        {
            float f = n % 4 switch
            {
                0 => (float)(random.NextDouble() * 2 - 1),
                1 => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 13))),
                2 => random.Next(-100_000, 100_000),
                _ => BitConverter.Int32BitsToSingle(random.Next()) is var bits && float.IsFinite(bits) ? bits : 1f,
            };
            double d = f;
            foreach (string text in (string[])[f.ToString("R", s_invariant), f.ToString("E7", s_invariant), f.ToString("F4", s_invariant),
                         d.ToString("R", s_invariant), d.ToString("G9", s_invariant), d.ToString("E3", s_invariant)])
            {
                fast += Check(text) ? 1 : 0;
            }
        }
        // Most spellings of ordinary values take the fast path; the rest were checked to decline.
        Assert.True(fast > 600_000, $"only {fast} of 1,200,000 spellings took the fast path");
    }

    [Fact]
    public void Decimals_at_and_next_to_float_halfway_points_round_like_the_general_parser()
    {
        var random = new Random(7);
        for (int n = 0; n < 100_000; n++)
        {
            // A float with a short significand, so that the halfway point has few digits and falls in the fast path.
            float f = random.Next(1, 1 << 24) * MathF.Pow(2, random.Next(-30, 20));
            double halfway = ((double)f + MathF.BitIncrement(f)) / 2;
            string exact = halfway.ToString("R", s_invariant);
            Check(exact);
            decimal m = decimal.Parse(exact, NumberStyles.Float, s_invariant);
            decimal step = m == 0 ? 0 : (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)m)) - 14);
            if (step != 0)
            {
                Check((m + step).ToString(s_invariant));
                Check((m - step).ToString(s_invariant));
            }
        }
    }

    private static bool Check(string text)
    {
        float expected = float.Parse(text, NumberStyles.Float, s_invariant);
        if (!DecimalFloat.TryParse(Encoding.ASCII.GetBytes(text), out float value))
        {
            return false;
        }
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(value),
            $"'{text}': fast path gave {value:R}, general parser {expected:R}");
        return true;
    }
}
