using Vectord.Hnsw.Text;

namespace Vectord.Hnsw.Tests.Text;

/// <summary>
/// Words are found by Unicode's word-boundary rules (apostrophes and periods inside words, separators inside
/// numbers, each ideograph a word), lowercased, and in English stripped of possessives and stop words and stemmed by
/// Porter's algorithm, whose published examples it reproduces.
/// </summary>
public sealed class TextAnalyzerTests
{
    private static string[] Words(string text)
    {
        var words = new List<string>();
        int position = 0;
        while (WordBreaker.Next(text, ref position, out var range)) { words.Add(text[range]); }
        return [.. words];
    }

    [Theory]
    [InlineData("Hello, world!", "Hello|world")]
    [InlineData("don't stop-believing", "don't|stop|believing")]
    [InlineData("e.g. the U.S.A. at 3.14 or 1,000.", "e.g|the|U.S.A|at|3.14|or|1,000")]
    [InlineData("snake_case and kebab-case", "snake_case|and|kebab|case")]
    [InlineData("end. Next", "end|Next")]
    [InlineData("a1b2 x86_64 v2", "a1b2|x86_64|v2")]
    [InlineData("Ünïcödé naïve café’s", "Ünïcödé|naïve|café’s")]
    [InlineData("東京タワー in 東京", "東|京|タワー|in|東|京")]
    [InlineData("emoji 🙂 between", "emoji|between")]
    [InlineData("   ", "")]
    [InlineData("'quoted' words", "quoted|words")]
    public void Words_follow_the_unicode_boundary_rules(string text, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), Words(text));
    }

    [Fact]
    public void Without_a_language_words_are_lowercased_and_kept()
    {
        var terms = TextAnalyzer.For(TextLanguage.None).DistinctTerms("The Quick brown fox, THE quick dog’s bone");
        Assert.Equal(["the", "quick", "brown", "fox", "dog's", "bone"], terms);
    }

    [Fact]
    public void English_drops_stop_words_and_possessives_and_stems()
    {
        var terms = TextAnalyzer.For(TextLanguage.English).DistinctTerms("The connections of a network's connected nodes are connecting");
        Assert.Equal(["connect", "network", "node"], terms);
    }

    [Fact]
    public void A_word_longer_than_the_limit_is_not_a_term()
    {
        var terms = TextAnalyzer.For(TextLanguage.None).DistinctTerms($"short {new string('x', TextAnalyzer.MaxWordLength + 1)} {new string('y', TextAnalyzer.MaxWordLength)}");
        Assert.Equal(["short", new string('y', TextAnalyzer.MaxWordLength)], terms);
    }

    // The examples of Porter's paper, step by step, and whole words.
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "ti")]
    [InlineData("caress", "caress")]
    [InlineData("cats", "cat")]
    [InlineData("feed", "feed")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("bled", "bled")]
    [InlineData("motoring", "motor")]
    [InlineData("sing", "sing")]
    [InlineData("conflated", "conflat")]
    [InlineData("troubled", "troubl")]
    [InlineData("sized", "size")]
    [InlineData("hopping", "hop")]
    [InlineData("tanned", "tan")]
    [InlineData("falling", "fall")]
    [InlineData("hissing", "hiss")]
    [InlineData("fizzed", "fizz")]
    [InlineData("failing", "fail")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("rational", "ration")]
    [InlineData("digitizer", "digit")]
    [InlineData("operator", "oper")]
    [InlineData("feudalism", "feudal")]
    [InlineData("decisiveness", "decis")]
    [InlineData("hopefulness", "hope")]
    [InlineData("callousness", "callous")]
    [InlineData("formaliti", "formal")]
    [InlineData("sensitiviti", "sensit")]
    [InlineData("sensibiliti", "sensibl")]
    [InlineData("triplicate", "triplic")]
    [InlineData("formative", "form")]
    [InlineData("formalize", "formal")]
    [InlineData("electriciti", "electr")]
    [InlineData("electrical", "electr")]
    [InlineData("hopeful", "hope")]
    [InlineData("goodness", "good")]
    [InlineData("revival", "reviv")]
    [InlineData("allowance", "allow")]
    [InlineData("inference", "infer")]
    [InlineData("airliner", "airlin")]
    [InlineData("gyroscopic", "gyroscop")]
    [InlineData("adjustable", "adjust")]
    [InlineData("defensible", "defens")]
    [InlineData("irritant", "irrit")]
    [InlineData("replacement", "replac")]
    [InlineData("adjustment", "adjust")]
    [InlineData("dependent", "depend")]
    [InlineData("adoption", "adopt")]
    [InlineData("communism", "commun")]
    [InlineData("activate", "activ")]
    [InlineData("angulariti", "angular")]
    [InlineData("homologous", "homolog")]
    [InlineData("effective", "effect")]
    [InlineData("bowdlerize", "bowdler")]
    [InlineData("probate", "probat")]
    [InlineData("rate", "rate")]
    [InlineData("cease", "ceas")]
    [InlineData("controll", "control")]
    [InlineData("roll", "roll")]
    [InlineData("generalizations", "gener")]
    [InlineData("oscillators", "oscil")]
    [InlineData("connection", "connect")]
    [InlineData("is", "is")]
    [InlineData("café", "café")]
    [InlineData("x86", "x86")]
    public void Porter_stems_as_the_paper_does(string word, string stem)
    {
        Assert.Equal(stem, PorterStemmer.Stem(word));
    }
}
