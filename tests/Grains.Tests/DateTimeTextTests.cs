using Vectord.Hnsw.Filtering;

namespace Vectord.Grains.Tests;

/// <summary>The contract reads a range's date-time bounds (<see cref="DateTimeText"/>) by the rule the engine reads
/// metadata strings with (<see cref="Rfc3339"/>): they agree on every text, and the contract writes bounds back in a
/// form both read as the same instant.</summary>
public sealed class DateTimeTextTests
{
    [Theory]
    [InlineData("2026-01-31T09:30:00Z")]
    [InlineData("2026-01-31t09:30:00z")]
    [InlineData("2026-01-31T11:30:00.250+02:00")]
    [InlineData("2026-01-31T09:30:00.1234567-05:30")]
    [InlineData("2026-01-31T09:30:00")]
    [InlineData("2026-01-31")]
    [InlineData("2026-01-31 09:30:00Z")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-01-31T25:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void The_contract_and_the_engine_read_date_times_alike(string text)
    {
        bool contract = DateTimeText.TryParse(text, out var fromContract);
        Assert.Equal(contract, Rfc3339.TryParse(text, out var fromEngine));
        Assert.Equal(fromContract.UtcTicks, fromEngine.UtcTicks);
        if (contract)
        {
            Assert.True(Rfc3339.TryParse(DateTimeText.Format(fromContract), out var again));
            Assert.Equal(fromContract.UtcTicks, again.UtcTicks);
        }
    }
}
