using Vectord.Grains.Merge;

namespace Vectord.Grains.Tests;

/// <summary>Hybrid search's two halves and their fusion, without a cluster: how a hybrid search is split and joined
/// back, reciprocal rank fusion, weighted fusion of min–max scaled scores, and what a fused hit carries.</summary>
public sealed class RankFusionTests
{
    private static SearchHit Near(string id, float distance) => new(id, distance, $"{{\"id\":\"{id}\"}}");

    private static SearchHit Word(string id, float score) => new(id, float.NaN, $"{{\"id\":\"{id}\"}}", score);

    [Fact]
    public void A_hybrid_search_is_split_into_its_two_halves_and_joined_back_among_other_searches()
    {
        var plain = new SearchQuery([1, 0], K: 3);
        var hybrid = new SearchQuery([0, 1], K: 5, Ef: 40, Text: new TextQuery("red fox"), Filter: ItemFilter.All(Where.Match("a", 1)));
        var keyword = new SearchQuery([], K: 4, Text: new TextQuery("fox"));
        var halves = RankFusion.Split([plain, hybrid, keyword]);

        Assert.Equal(4, halves.Length);
        Assert.Same(plain, halves[0]);
        Assert.Equal(new SearchQuery([0, 1], K: 100, Ef: 100, Filter: hybrid.Filter) with { Vector = hybrid.Vector }, halves[1]);
        Assert.Equal(hybrid with { Vector = [], K = 100 }, halves[2] with { Vector = [] });
        Assert.Empty(halves[2].Vector);
        Assert.Same(keyword, halves[3]);
        SearchQuery[] none = [plain, keyword];
        Assert.Same(none, RankFusion.Split(none));   // nothing to split: the same array

        SearchHit[][] answers = [[Near("p", 0)], [Near("a", 1), Near("b", 2)], [Word("b", 3), Word("c", 1)], [Word("k", 2)]];
        var joined = RankFusion.Join([plain, hybrid, keyword], answers);
        Assert.Equal(3, joined.Length);
        Assert.Same(answers[0], joined[0]);
        Assert.Equal(["b", "a", "c"], joined[1].Select(h => h.Id));
        Assert.Same(answers[3], joined[2]);
    }

    [Fact]
    public void Reciprocal_rank_fusion_adds_one_over_sixty_plus_rank_and_keeps_the_distance_of_the_nearest()
    {
        var query = new SearchQuery([1], K: 3, Text: new TextQuery("x"));
        var fused = RankFusion.Fuse([Near("a", 0.1f), Near("b", 0.2f), Near("c", 0.3f)], [Word("c", 9), Word("d", 5), Word("a", 1)], query);

        // a: 1/61 + 1/63; c: 1/63 + 1/61 (tie: by id); b: 1/62; d: 1/62 (tie with b: by id); k = 3.
        Assert.Equal(["a", "c", "b"], fused.Select(h => h.Id));
        Assert.Equal(1.0 / 61 + 1.0 / 63, fused[0].Score!.Value, 1e-6);
        Assert.Equal(1.0 / 62, fused[2].Score!.Value, 1e-6);
        Assert.Equal([0.1f, 0.3f, 0.2f], fused.Select(h => h.Distance));
        Assert.Equal("{\"id\":\"c\"}", fused[1].Metadata);

        var wordsOnly = RankFusion.Fuse([Near("a", 0.1f)], [Word("d", 5)], query with { K = 2 });
        Assert.Equal(["a", "d"], wordsOnly.Select(h => h.Id));   // equal ranks: by id
        Assert.True(float.IsNaN(wordsOnly[1].Distance));          // found by its words only
    }

    [Fact]
    public void Weighted_fusion_scales_each_list_to_zero_one_and_weighs_the_vector_list_by_alpha()
    {
        SearchHit[] nearest = [Near("a", 1), Near("b", 2), Near("c", 5)];
        SearchHit[] words = [Word("c", 8), Word("d", 4), Word("b", 2)];
        var half = RankFusion.Fuse(nearest, words, new SearchQuery([1], K: 4, Text: new TextQuery("x"), Fusion: FusionKind.Weighted));

        // vector: similarity −1, −2, −5 scaled to a 1, b 0.75, c 0; words: 8, 4, 2 scaled to c 1, d 1/3, b 0.
        var scores = half.ToDictionary(h => h.Id, h => (double)h.Score!.Value);
        Assert.Equal(0.5, scores["a"], 1e-6);
        Assert.Equal(0.375, scores["b"], 1e-6);
        Assert.Equal(0.5, scores["c"], 1e-6);
        Assert.Equal(1.0 / 6, scores["d"], 1e-6);
        Assert.Equal(["a", "c", "b", "d"], half.Select(h => h.Id));

        var vectorOnly = RankFusion.Fuse(nearest, words, new SearchQuery([1], K: 4, Text: new TextQuery("x"), Fusion: FusionKind.Weighted, Alpha: 1));
        Assert.Equal(["a", "b", "c", "d"], vectorOnly.Select(h => h.Id));
        var wordsOnly = RankFusion.Fuse(nearest, words, new SearchQuery([1], K: 2, Text: new TextQuery("x"), Fusion: FusionKind.Weighted, Alpha: 0));
        Assert.Equal(["c", "d"], wordsOnly.Select(h => h.Id));
        // One candidate (or all equal) scales to 1.
        Assert.Equal(1, RankFusion.Fuse([Near("a", 3)], [], new SearchQuery([1], K: 1, Text: new TextQuery("x"), Fusion: FusionKind.Weighted, Alpha: 1))[0].Score);
    }
}
