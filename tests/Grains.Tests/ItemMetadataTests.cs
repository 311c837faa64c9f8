using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Vectord.Grains.Tests;

/// <summary>An item's metadata is its JSON value's UTF-8 bytes from the request to the answer: made from text or
/// bytes, equal by its bytes, read from JSON and written back byte for byte, and sent between silos whole.</summary>
public sealed class ItemMetadataTests
{
    private const string Json = "{ \"b\" : [1.50, 2e3, -0.0],\n \"s\": \"caf\u00e9 \\u00e9 \\\"q\\\" \ud83d\ude00\" }";

    private sealed record Holder(ItemMetadata? M);

    /// <summary>The item and hit as a peer built when metadata was a string has them (same field ids).</summary>
    [GenerateSerializer, Alias("test.LegacyIndexItem")]
    internal sealed record LegacyIndexItem([property: Id(0)] string Id, [property: Id(1)] float[] Vector, [property: Id(2)] string? Metadata = null);

    [GenerateSerializer, Alias("test.LegacySearchHit")]
    internal sealed record LegacySearchHit([property: Id(0)] string Id, [property: Id(1)] float Distance, [property: Id(2)] string? Metadata,
        [property: Id(3)] float? Score = null);

    [Fact]
    public void Text_becomes_its_utf8_and_back_and_values_are_equal_by_their_bytes()
    {
        ItemMetadata metadata = Json;
        Assert.Equal(Encoding.UTF8.GetBytes(Json), metadata.Utf8.ToArray());
        Assert.Equal(Json, metadata.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(Json), metadata.Length);

        var same = ItemMetadata.FromUtf8(Encoding.UTF8.GetBytes(Json));
        Assert.Equal(metadata, same);
        Assert.True(metadata == same);
        Assert.Equal(metadata.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(metadata, ItemMetadata.FromText(Json.Replace("1.50", "1.5", StringComparison.Ordinal)));
        float[] vector = [1];
        Assert.Equal(new IndexItem("a", vector, Json), new IndexItem("a", vector, same));
    }

    [Fact]
    public void Bytes_are_copied_on_the_way_in_so_the_caller_cannot_change_them_later()
    {
        byte[] source = Encoding.UTF8.GetBytes("[1,2]");
        var metadata = ItemMetadata.FromUtf8(source);
        source[1] = (byte)'9';
        Assert.Equal("[1,2]", metadata.ToString());
    }

    [Fact]
    public void Text_with_an_unpaired_surrogate_has_no_utf8_and_is_refused_where_it_is_made()
    {
        var error = Assert.Throws<ArgumentException>(() => ItemMetadata.FromText("\"\ud83d\""));
        Assert.Contains("unpaired surrogate", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new IndexItem("a", [1], "{\"x\":\"\udc00\"}"));
    }

    [Fact]
    public void Json_reads_the_value_as_received_and_writes_it_back_unchanged()
    {
        var read = JsonSerializer.Deserialize<Holder>("{\"M\":" + Json + "}")!;
        Assert.Equal(Json, read.M!.ToString());
        Assert.Equal("{\"M\":" + Json + "}", JsonSerializer.Serialize(read));

        // Absent: no metadata; an explicit null: the metadata null.
        Assert.Null(JsonSerializer.Deserialize<Holder>("{}")!.M);
        Assert.Equal("null", JsonSerializer.Deserialize<Holder>("{\"M\":null}")!.M!.ToString());
        Assert.Equal("{\"M\":null}", JsonSerializer.Serialize(new Holder(null)));
    }

    [Fact]
    public void Writing_metadata_that_is_not_one_json_value_fails_instead_of_breaking_the_document()
    {
        // Made from text the writer has not seen parsed: it is checked, so a value cannot end the object it is in.
        foreach (var text in new[] { "{not json", "1},{\"id\":\"x\"", "" })
        {
            Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(new Holder(text)));
        }
    }

    [Fact]
    public void The_orleans_serializer_sends_the_bytes_whole()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var item = new IndexItem("a", [1, 2], Json);
        var copy = serializer.Deserialize<IndexItem>(serializer.SerializeToArray(item))!;
        Assert.Equal(item.Metadata, copy.Metadata);
        Assert.Equal(Json, copy.Metadata!.ToString());
        var hit = serializer.Deserialize<SearchHit>(serializer.SerializeToArray(new SearchHit("a", 0.5f, null)))!;
        Assert.Null(hit.Metadata);
    }

    [Fact]
    public void On_the_wire_metadata_is_a_string_so_peers_built_when_it_was_one_read_and_write_the_same_fields()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        // Written by this build, read by the earlier one: the same text, in a batch where one value appears twice.
        ItemMetadata shared = Json;
        IndexItem[] items = [new("a", [1, 2], shared), new("b", [3], null), new("c", [4], shared), new("d", [5], "[]")];
        var legacy = serializer.Deserialize<LegacyIndexItem[]>(serializer.SerializeToArray(items))!;
        Assert.Equal([Json, null, Json, "[]"], legacy.Select(i => i.Metadata));
        Assert.Equal([1f, 2f], legacy[0].Vector);
        var legacyHit = serializer.Deserialize<LegacySearchHit>(serializer.SerializeToArray(new SearchHit("h", 0.25f, Json, 1.5f)))!;
        Assert.Equal(("h", 0.25f, Json, (float?)1.5f), (legacyHit.Id, legacyHit.Distance, legacyHit.Metadata, legacyHit.Score));

        // Written by the earlier build, read by this one.
        LegacyIndexItem[] old = [new("a", [1], Json), new("b", [2], null), new("c", [3], "\"caf\u00e9\"")];
        var read = serializer.Deserialize<IndexItem[]>(serializer.SerializeToArray(old))!;
        Assert.Equal(new ItemMetadata?[] { Json, null, "\"caf\u00e9\"" }, read.Select(i => i.Metadata));
        var hit = serializer.Deserialize<SearchHit>(serializer.SerializeToArray(new LegacySearchHit("h", 0.5f, Json)))!;
        Assert.Equal(Json, hit.Metadata!.ToString());
    }
}
