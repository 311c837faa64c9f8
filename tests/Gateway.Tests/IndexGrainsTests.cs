using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Gateway.Infrastructure;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The handlers' index grain references: one per name, bounded, and working like fresh ones.</summary>
public sealed class IndexGrainsTests(NodeFixture node)
{
    [Fact]
    public async Task A_name_keeps_one_reference_and_the_cache_stays_bounded()
    {
        var indexes = node.Server.Services.GetRequiredService<IndexGrains>();
        string name = Http.NewName("refs");
        await node.Http.CreateIndexAsync(name, 2);

        IVectorIndexGrain first = indexes.Index(name);
        Assert.Same(first, indexes.Index(name));
        Assert.Equal(0, (await first.GetInfoAsync()).Length);

        for (int i = 0; i <= IndexGrains.MaxCached; i++)
        {
            indexes.Index($"{name}-other-{i}");
        }
        Assert.InRange(indexes.Count, 1, IndexGrains.MaxCached);

        // A reference made after the cache started again addresses the same grain.
        IVectorIndexGrain again = indexes.Index(name);
        Assert.Equal(first.GetGrainId(), again.GetGrainId());
        (await node.Http.PostReplyAsync($"/vectors/index/{name}/add", """{"items":[{"id":"a","vector":[1,0]}]}""")).AssertJson(HttpStatusCode.OK);
        Assert.Equal(1, (await again.GetInfoAsync()).Length);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => indexes.Index($"{name}-other-0").GetInfoAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_names_are_refused_with_the_grains_wording(string? name)
    {
        var indexes = node.Server.Services.GetRequiredService<IndexGrains>();
        var error = Assert.Throws<InvalidIndexArgumentException>(() => indexes.Index(name));
        Assert.StartsWith("invalid index name", error.Message, StringComparison.Ordinal);
    }
}
