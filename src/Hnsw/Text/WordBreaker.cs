using System.Buffers;
using System.Globalization;
using System.Text;

namespace Vectord.Hnsw.Text;

/// <summary>
/// Splits text into words by the word-boundary rules of Unicode (UAX #29), as far as full-text search needs them:
/// a word is a run of letters, digits, combining marks and connectors (<c>_</c>); an apostrophe, a colon or a period
/// between two letters stays inside the word (<c>don't</c>, <c>e.g</c>), and a comma, period or semicolon between two
/// digits stays inside a number (<c>3.14</c>, <c>1,000</c>). Ideographs (Han), Hiragana and characters of scripts
/// written without spaces between words (Thai, Lao, Khmer, Myanmar) are each a word of their own, as search engines
/// without a dictionary index them. Everything else (spaces, punctuation, symbols, emoji) separates words.
/// </summary>
internal static class WordBreaker
{
    /// <summary>Finds the next word of <paramref name="text"/> at or after <paramref name="position"/>, which it
    /// moves past the word.</summary>
    /// <returns>False when no word is left.</returns>
    public static bool Next(ReadOnlySpan<char> text, ref int position, out Range word)
    {
        int i = position;
        while (i < text.Length)
        {
            var (kind, width) = KindAt(text, i);
            if (kind is not (CharKind.Letter or CharKind.Digit or CharKind.Single))
            {
                i += width;
                continue;
            }
            int start = i;
            i += width;
            if (kind != CharKind.Single)
            {
                i = WordEnd(text, i, kind);
            }
            position = i;
            word = start..i;
            return true;
        }
        position = i;
        word = default;
        return false;
    }

    private static int WordEnd(ReadOnlySpan<char> text, int i, CharKind previous)
    {
        while (i < text.Length)
        {
            var (next, width) = KindAt(text, i);
            if (next is CharKind.Letter or CharKind.Digit or CharKind.Extend)
            {
                previous = next == CharKind.Extend ? previous : next;
                i += width;
                continue;
            }
            if (next is CharKind.MidLetter or CharKind.MidNum or CharKind.MidNumLet && i + width < text.Length)
            {
                var (after, afterWidth) = KindAt(text, i + width);
                bool joinsLetters = previous == CharKind.Letter && after == CharKind.Letter && next != CharKind.MidNum;
                bool joinsDigits = previous == CharKind.Digit && after == CharKind.Digit && next != CharKind.MidLetter;
                if (joinsLetters || joinsDigits)
                {
                    i += width + afterWidth;
                    continue;
                }
            }
            return i;
        }
        return i;
    }

    /// <summary>What a character does at a word boundary.</summary>
    private enum CharKind
    {
        Other,
        Letter,
        Digit,
        Extend,
        MidLetter,
        MidNum,
        MidNumLet,
        Single,
    }

    private static (CharKind Kind, int Width) KindAt(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c < 0x80)
        {
            return (c switch
            {
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharKind.Letter,
                >= '0' and <= '9' => CharKind.Digit,
                '_' => CharKind.Letter,   // a connector joins what it stands between, as a letter would
                '\'' or '.' => CharKind.MidNumLet,
                ':' => CharKind.MidLetter,
                ',' or ';' => CharKind.MidNum,
                _ => CharKind.Other,
            }, 1);
        }
        if (Rune.DecodeFromUtf16(text[i..], out var rune, out int width) != OperationStatus.Done)
        {
            return (CharKind.Other, 1);
        }
        return (Classify(rune), width);
    }

    private static CharKind Classify(Rune rune)
    {
        int value = rune.Value;
        if (value is 0x2019 or 0x2018 or 0xFE52 or 0xFF07 or 0xFF0E)
        {
            return CharKind.MidNumLet;   // ’ ‘ and full-width ' .
        }
        if (value is 0x00B7 or 0x0387 or 0x05F4 or 0x2027 or 0xFE13 or 0xFE55 or 0xFF1A)
        {
            return CharKind.MidLetter;
        }
        if (value is 0x066C or 0xFE50 or 0xFE54 or 0xFF0C or 0xFF1B or 0x037E or 0x0589 or 0x060C or 0x060D)
        {
            return CharKind.MidNum;
        }
        if (IsSingle(value))
        {
            return CharKind.Single;
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber => CharKind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format => CharKind.Extend,
            UnicodeCategory.ConnectorPunctuation => CharKind.Letter,
            _ => CharKind.Other,
        };
    }

    /// <summary>Ideographs, Hiragana and the scripts written without spaces, each character a word.</summary>
    private static bool IsSingle(int value) =>
        value is >= 0x4E00 and <= 0x9FFF       // CJK unified ideographs
            or >= 0x3400 and <= 0x4DBF         // extension A
            or >= 0x20000 and <= 0x3134F       // extensions B–G
            or >= 0xF900 and <= 0xFAFF         // compatibility ideographs
            or >= 0x3040 and <= 0x309F         // Hiragana
            or >= 0x0E00 and <= 0x0E7F         // Thai
            or >= 0x0E80 and <= 0x0EFF         // Lao
            or >= 0x1780 and <= 0x17FF         // Khmer
            or >= 0x1000 and <= 0x109F;        // Myanmar
}
