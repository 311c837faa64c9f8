using System.Text.Json.Serialization;

namespace Vectord.Bench.Modes;

/// <summary>The JSON line of the <c>hybrid</c> mode.</summary>
internal sealed record HybridResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("corpus")] string Corpus,
    [property: JsonPropertyName("packages")] int Packages,
    [property: JsonPropertyName("eligible")] int Eligible,
    [property: JsonPropertyName("docs")] int Docs,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("embed_seconds")] double EmbedSeconds,
    [property: JsonPropertyName("one_shard")] HybridQuality[] OneShard,
    [property: JsonPropertyName("sharded")] HybridQuality[] Sharded,
    [property: JsonPropertyName("engine_keyword")] HybridQuality EngineKeyword,
    [property: JsonPropertyName("lucene_keyword")] HybridQuality LuceneKeyword,
    [property: JsonPropertyName("engine_qps")] double EngineQps,
    [property: JsonPropertyName("lucene_qps")] double LuceneQps,
    [property: JsonPropertyName("qps_ratio")] double QpsRatio,
    [property: JsonPropertyName("qps_goal")] double QpsGoal,
    [property: JsonPropertyName("qps_goal_met")] bool QpsGoalMet,
    [property: JsonPropertyName("top10_overlap")] double Top10Overlap,
    [property: JsonPropertyName("same_first")] double SameFirst,
    [property: JsonPropertyName("text_bytes")] long TextBytes,
    [property: JsonPropertyName("raw_text_bytes")] long RawTextBytes,
    [property: JsonPropertyName("text_ratio")] double TextRatio,
    [property: JsonPropertyName("text_goal")] double TextGoal,
    [property: JsonPropertyName("text_goal_met")] bool TextGoalMet,
    [property: JsonPropertyName("hybrid_beats_both")] bool HybridBeatsBoth,
    [property: JsonPropertyName("load_average")] double LoadAverage);

/// <summary>Recall@10 and MRR@10 of one kind of search.</summary>
internal sealed record HybridQuality(
    [property: JsonPropertyName("search")] string Search,
    [property: JsonPropertyName("recall_at_10")] double RecallAt10,
    [property: JsonPropertyName("mrr_at_10")] double MrrAt10);
