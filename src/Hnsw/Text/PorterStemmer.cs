namespace Vectord.Hnsw.Text;

/// <summary>
/// The Porter stemming algorithm for English (M. F. Porter, "An algorithm for suffix stripping", Program 14(3),
/// 1980): five steps of suffix rules, each conditioned on the measure of what remains, so that <c>connection</c>,
/// <c>connected</c> and <c>connecting</c> all become <c>connect</c>. Words of lowercase ASCII letters only are
/// stemmed; any other word (digits, accents, other scripts) and words of one or two letters are left as they are.
/// </summary>
internal static class PorterStemmer
{
    private static readonly (string Suffix, string Replacement)[] s_step2 =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("abli", "able"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"),
    ];

    private static readonly (string Suffix, string Replacement)[] s_step3 =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] s_step4 =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ];

    /// <summary>The stem of <paramref name="word"/>: the word itself when it is not stemmed.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 2 || !IsLowerAscii(word))
        {
            return word;
        }
        var w = new Word(word);
        w.Step1();
        w.Step2And3();
        w.Step4();
        w.Step5();
        return w.Length == word.Length && word.AsSpan().SequenceEqual(w.Text) ? word : new string(w.Text);
    }

    private static bool IsLowerAscii(string word)
    {
        foreach (char c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A word being stemmed: its letters and its current length.</summary>
    private ref struct Word
    {
        private readonly char[] _letters;

        public Word(string word)
        {
            _letters = word.ToCharArray();
            Length = word.Length;
        }

        public int Length { get; private set; }

        public readonly ReadOnlySpan<char> Text => _letters.AsSpan(0, Length);

        public void Step1()
        {
            // 1a: plurals
            if (EndsWith("sses") || EndsWith("ies"))
            {
                Length -= 2;
            }
            else if (!EndsWith("ss") && EndsWith("s"))
            {
                Length--;
            }
            // 1b: -eed, -ed, -ing
            if (EndsWith("eed"))
            {
                if (Measure(Length - 3) > 0) { Length--; }
            }
            else if ((TryStrip("ed") || TryStrip("ing")))
            {
                if (EndsWith("at") || EndsWith("bl") || EndsWith("iz"))
                {
                    Append('e');
                }
                else if (EndsWithDoubleConsonant(Length) && _letters[Length - 1] is not ('l' or 's' or 'z'))
                {
                    Length--;
                }
                else if (Measure(Length) == 1 && EndsCvc(Length))
                {
                    Append('e');
                }
            }
            // 1c: y after a vowel in the stem
            if (EndsWith("y") && HasVowel(Length - 1))
            {
                _letters[Length - 1] = 'i';
            }
        }

        /// <summary>Strips <paramref name="suffix"/> when what remains holds a vowel.</summary>
        private bool TryStrip(string suffix)
        {
            if (!EndsWith(suffix) || !HasVowel(Length - suffix.Length))
            {
                return false;
            }
            Length -= suffix.Length;
            return true;
        }

        public void Step2And3()
        {
            Replace(s_step2);
            Replace(s_step3);
        }

        private void Replace((string Suffix, string Replacement)[] rules)
        {
            foreach (var (suffix, replacement) in rules)
            {
                if (EndsWith(suffix))
                {
                    int stem = Length - suffix.Length;
                    if (Measure(stem) > 0)
                    {
                        Length = stem;
                        foreach (char c in replacement) { Append(c); }
                    }
                    return;
                }
            }
        }

        public void Step4()
        {
            foreach (var suffix in s_step4)
            {
                if (EndsWith(suffix))
                {
                    int stem = Length - suffix.Length;
                    bool allowed = suffix != "ion" || (stem > 0 && _letters[stem - 1] is 's' or 't');
                    if (allowed && Measure(stem) > 1)
                    {
                        Length = stem;
                    }
                    return;
                }
            }
        }

        public void Step5()
        {
            if (EndsWith("e"))
            {
                int m = Measure(Length - 1);
                if (m > 1 || (m == 1 && !EndsCvc(Length - 1)))
                {
                    Length--;
                }
            }
            if (EndsWith("ll") && Measure(Length) > 1)
            {
                Length--;
            }
        }

        private void Append(char c) => _letters[Length++] = c;

        private readonly bool EndsWith(string suffix) => Text.EndsWith(suffix, StringComparison.Ordinal);

        private readonly bool IsConsonant(int i) => _letters[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>The measure m of the first <paramref name="length"/> letters, [C](VC)^m[V].</summary>
        private readonly int Measure(int length)
        {
            int m = 0;
            int i = 0;
            while (i < length && IsConsonant(i)) { i++; }
            while (i < length)
            {
                while (i < length && !IsConsonant(i)) { i++; }
                if (i >= length) { break; }
                m++;
                while (i < length && IsConsonant(i)) { i++; }
            }
            return m;
        }

        private readonly bool HasVowel(int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (!IsConsonant(i)) { return true; }
            }
            return false;
        }

        private readonly bool EndsWithDoubleConsonant(int length) =>
            length >= 2 && _letters[length - 1] == _letters[length - 2] && IsConsonant(length - 1);

        /// <summary>The first <paramref name="length"/> letters end consonant–vowel–consonant, the last not w, x or y.</summary>
        private readonly bool EndsCvc(int length) =>
            length >= 3 && IsConsonant(length - 1) && !IsConsonant(length - 2) && IsConsonant(length - 3)
            && _letters[length - 1] is not ('w' or 'x' or 'y');
    }
}
