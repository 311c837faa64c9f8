namespace Vectord.Grains.Tests;

/// <summary>The contract reads a range's date-time bounds (<see cref="DateTimeText"/>) by the engine's rule for
/// metadata strings (one source file, compiled into both): RFC 3339 date-times, and the same without an offset, read
/// as UTC; and it writes bounds back in a form read as the same instant.</summary>
public sealed class DateTimeTextTests
{
    [Theory]
    [InlineData("2026-01-31T09:30:00Z", true)]
    [InlineData("2026-01-31t09:30:00z", true)]
    [InlineData("2026-01-31T11:30:00.250+02:00", true)]
    [InlineData("2026-01-31T09:30:00.1234567-05:30", true)]
    [InlineData("2026-01-31T09:30:00", true)]
    [InlineData("2026-01-31", false)]
    [InlineData("2026-01-31 09:30:00Z", false)]
    [InlineData("2026-02-30T00:00:00Z", false)]
    [InlineData("2026-01-31T25:00:00Z", false)]
    [InlineData("0001-01-01T00:00:00Z", true)]
    [InlineData("9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("yesterday", false)]
    [InlineData("", false)]
    public void The_contract_reads_rfc3339_date_times_and_writes_back_the_same_instant(string text, bool isDate)
    {
        Assert.Equal(isDate, DateTimeText.TryParse(text, out var instant));
        if (isDate)
        {
            Assert.True(DateTimeText.TryParse(DateTimeText.Format(instant), out var again));
            Assert.Equal(instant.UtcTicks, again.UtcTicks);
        }
    }

    [Fact]
    public void A_bound_without_an_offset_is_utc()
    {
        Assert.True(DateTimeText.TryParse("2026-01-31T09:30:00", out var instant));
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 9, 30, 0, TimeSpan.Zero), instant);
        Assert.True(DateTimeText.TryParse("2026-01-31T11:30:00.250+02:00", out var offset));
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 9, 30, 0, 250, TimeSpan.Zero), offset);
    }
}
