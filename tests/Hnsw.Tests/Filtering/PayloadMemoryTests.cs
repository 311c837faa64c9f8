using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>What the payload index costs at the scale of the Fashion-MNIST index: 60,000 items. (Its speed is the
/// filter bench's to measure, not a timed test's.)</summary>
public sealed class PayloadMemoryTests
{
    private const int Items = 60_000;

    [Fact]
    public void Sixty_thousand_items_take_under_a_tenth_of_their_vectors_and_are_all_removed()
    {
        var random = new Random(7);
        var metadata = new byte[Items][];
        for (int i = 0; i < Items; i++)
        {
            metadata[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"label": {{i % 10}}, "half": {{i % 2}}, "bucket": {{random.Next(1000)}}, "rare": {{random.Next(10_000)}}, "tags": ["t{{random.Next(10)}}","t{{random.Next(10)}}"]}"""));
        }
        var index = new PayloadIndex();
        var entries = new List<PayloadEntry>();
        var clock = Stopwatch.StartNew();
        for (int slot = 0; slot < Items; slot++)
        {
            PayloadDocument.Extract(metadata[slot], entries);
            index.Add(slot, CollectionsMarshal.AsSpan(entries));
        }
        var added = clock.Elapsed;

        long vectors = Items * 784L * 4;
        TestContext.Current.TestOutputHelper?.WriteLine($"{index.MemoryBytes:N0} bytes, added in {added.TotalMilliseconds:N0} ms");
        Assert.True(index.MemoryBytes < vectors / 10, $"{index.MemoryBytes:N0} bytes");

        var live = SlotSet.All(Items);
        var matched = index.Evaluate(new AllOf([new ValueIn("label", [PayloadValue.Of(3)]), new NumberRange("rare", null, 1000, 2000, null)]), live, _ => -1);
        Assert.InRange(matched.Count, 400, 800);

        clock.Restart();
        for (int slot = 0; slot < Items; slot++)
        {
            PayloadDocument.Extract(metadata[slot], entries);
            index.Remove(slot, CollectionsMarshal.AsSpan(entries));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"removed in {clock.Elapsed.TotalMilliseconds:N0} ms, {index.MemoryBytes:N0} bytes left");
        Assert.Equal(0, index.Evaluate(new NotOf(new IsEmpty("label")), live, _ => -1).Count);
    }
}
