namespace Vectord.Hnsw.Text;

/// <summary>The languages a text field can be analysed in.</summary>
public enum TextLanguage
{
    /// <summary>Words are lowercased and kept as they are: no stemming, no stop words. Right for any language.</summary>
    None = 0,
    /// <summary>Words are lowercased, English possessives (<c>'s</c>) and stop words dropped, and the rest stemmed
    /// (Porter): <c>Connections</c> and <c>connected</c> both become <c>connect</c>.</summary>
    English = 1,
}

/// <summary>
/// Turns text into the terms a field's text index holds and a query looks up: the words of Unicode word
/// segmentation (<see cref="WordBreaker"/>), lowercased (invariant culture), then per the field's
/// <see cref="TextLanguage"/>. The same analyzer reads the field's text and the queries on it, so a query matches
/// the text it was written from.
/// </summary>
public sealed class TextAnalyzer
{
    /// <summary>Longest word kept, in UTF-16 code units: a longer run (a hash, base64, a URL without breaks) is
    /// not a word anyone searches for, and would only grow the index.</summary>
    public const int MaxWordLength = 64;

    /// <summary>English stop words: the articles, conjunctions, prepositions and forms of <c>be</c> that most texts
    /// hold, and so tell nothing about one of them (the set search engines have long used for English).</summary>
    private static readonly HashSet<string> s_englishStopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    };

    private static readonly TextAnalyzer s_none = new(TextLanguage.None);
    private static readonly TextAnalyzer s_english = new(TextLanguage.English);

    private TextAnalyzer(TextLanguage language) => Language = language;

    /// <summary>The analyzer of <paramref name="language"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown language.</exception>
    public static TextAnalyzer For(TextLanguage language) => language switch
    {
        TextLanguage.None => s_none,
        TextLanguage.English => s_english,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "unknown language"),
    };

    /// <summary>The language.</summary>
    public TextLanguage Language { get; }

    /// <summary>Adds the terms of <paramref name="text"/> to <paramref name="terms"/>, in order, repeats included.</summary>
    /// <param name="text">The text.</param>
    /// <param name="terms">Where the terms go.</param>
    public void Analyze(ReadOnlySpan<char> text, List<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Span<char> lower = stackalloc char[MaxWordLength];
        int position = 0;
        while (WordBreaker.Next(text, ref position, out var range))
        {
            var word = text[range];
            if (word.Length > MaxWordLength)
            {
                continue;
            }
            int length = word.ToLowerInvariant(lower);
            var folded = lower[..length];
            for (int i = 0; i < folded.Length; i++)
            {
                if (folded[i] == '\u2019') { folded[i] = '\''; }   // a typographic apostrophe is an apostrophe
            }
            if (Language == TextLanguage.English)
            {
                if (folded.EndsWith("'s", StringComparison.Ordinal)) { folded = folded[..^2]; }
                if (folded.IsEmpty || s_englishStopWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(folded))
                {
                    continue;
                }
                terms.Add(PorterStemmer.Stem(folded.ToString()));
                continue;
            }
            terms.Add(folded.ToString());
        }
    }

    /// <summary>The distinct terms of <paramref name="text"/>, in the order they first appear.</summary>
    public string[] DistinctTerms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        Analyze(text, terms);
        return [.. terms.Distinct(StringComparer.Ordinal)];
    }
}
