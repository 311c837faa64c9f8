using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vectord.Bench.Common;

namespace Vectord.Bench.Data;

/// <summary>One package of a Debian package list: its name, its description's first line (the short description) and
/// the lines after it (the long description), joined by spaces, paragraph separators dropped; null when the stanza
/// has none.</summary>
internal sealed record PackageStanza(string Package, string ShortDescription, string? LongDescription, string? DescriptionMd5);

/// <summary>One document of the corpus: a package's long description, its id the package's name.</summary>
internal sealed record PackageDocument(string Id, string ShortDescription, string Body);

/// <summary>
/// The corpus of the <c>hybrid</c> mode: Debian package descriptions, documents = long descriptions, and queries =
/// the short descriptions of some of them, each answered rightly by its own package's document.
/// </summary>
/// <param name="Source">Where the descriptions came from, for the report.</param>
/// <param name="Packages">Packages read.</param>
/// <param name="Eligible">Packages left after the filters (long description of at least <see cref="MinWords"/> words,
/// identical long descriptions once), before sampling.</param>
/// <param name="Documents">The sampled documents, by id (ordinal).</param>
/// <param name="Queries">Indexes into <see cref="Documents"/> of the packages whose short descriptions are the queries.</param>
internal sealed record PackageCorpus(string Source, int Packages, int Eligible, PackageDocument[] Documents, int[] Queries)
{
    /// <summary>Fewest words a long description must have for its package to be a document.</summary>
    public const int MinWords = 8;

    /// <summary>Longest long description kept, in UTF-8 bytes: with the package name and the JSON around it, a
    /// document's metadata stays within the item limit (<see cref="ItemLimits.MaxMetadataBytes"/>).</summary>
    public const int MaxBodyBytes = ItemLimits.MaxMetadataBytes - 4096;

    /// <summary>UTF-8 bytes of the documents' texts.</summary>
    public long BodyBytes => Documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Body));

    /// <summary>A fingerprint of the documents and queries (ids and texts, in order): the key of cached embeddings.</summary>
    public ulong Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var document in Documents)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(document.Id + "\n" + document.ShortDescription + "\n" + document.Body + "\n"));
        }
        foreach (var query in Queries)
        {
            hash.AppendData(BitConverter.GetBytes(query));
        }
        return BitConverter.ToUInt64(hash.GetHashAndReset(), 0);
    }

    /// <summary>
    /// Reads the stanzas of the installed package lists (<c>apt-cache dumpavail</c>), with the English long
    /// descriptions of apt's translation lists when the package lists themselves carry none (Debian's do not), and
    /// builds the corpus from them (<see cref="Build"/>).
    /// </summary>
    /// <exception cref="BenchException">apt is missing, or no long description is installed.</exception>
    public static PackageCorpus FromApt(int? documents, int queries, int seed, CancellationToken cancellationToken)
    {
        var stanzas = Parse(new StringReader(Run("apt-cache", ["-o", "Acquire::Languages=en", "dumpavail"], cancellationToken)));
        var source = "apt-cache dumpavail";
        if (stanzas.Count(s => s.LongDescription is not null) < stanzas.Count / 2)
        {
            // Debian's package lists give a Description-md5 in place of the long description: the text is in the
            // translation lists (Translation-en), found where apt keeps them and read with apt's own decompressor.
            var files = Run("apt-get", ["indextargets", "-o", "Acquire::Languages=en", "--format", "$(FILENAME)", "Created-By: Translations"], cancellationToken)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(f => f.Contains("Translation-en", StringComparison.Ordinal) && File.Exists(f)).ToArray();
            if (files.Length == 0)
            {
                throw new BenchException("apt-cache dumpavail gives no long descriptions and apt has no English translation lists: "
                    + "fetch them once with `apt-get -o Acquire::Languages=en update`");
            }
            var byMd5 = new Dictionary<string, string>(StringComparer.Ordinal);
            var byPackage = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var translated in Parse(new StringReader(Run("/usr/lib/apt/apt-helper", ["cat-file", file], cancellationToken))))
                {
                    if (translated.LongDescription is null) { continue; }
                    if (translated.DescriptionMd5 is { } md5) { byMd5.TryAdd(md5, translated.LongDescription); }
                    byPackage.TryAdd(translated.Package, translated.LongDescription);
                }
            }
            stanzas = [.. stanzas.Select(s => s.LongDescription is not null ? s : s with
            {
                LongDescription = (s.DescriptionMd5 is { } md5 ? byMd5.GetValueOrDefault(md5) : null) ?? byPackage.GetValueOrDefault(s.Package),
            })];
            source = $"apt-cache dumpavail, long descriptions from {string.Join(", ", files.Select(Path.GetFileName))}";
        }
        return Build(source, stanzas, documents, queries, seed);
    }

    /// <summary>Reads a file of stanzas (a Packages or Translation file with long descriptions) and builds the corpus.</summary>
    /// <exception cref="BenchException">The file is missing.</exception>
    public static PackageCorpus FromFile(string path, int? documents, int queries, int seed)
    {
        if (!File.Exists(path)) { throw new BenchException($"{path}: no such file"); }
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Build(path, Parse(reader), documents, queries, seed);
    }

    /// <summary>
    /// The corpus of <paramref name="stanzas"/>: one stanza per package name (the first), those whose long
    /// description has at least <see cref="MinWords"/> words, each long description once (the package first by
    /// name keeps it); then, when <paramref name="documents"/> is smaller, that many drawn by <paramref name="seed"/>,
    /// and <paramref name="queries"/> of them (all when fewer) drawn by the same seed as the queries. Documents longer
    /// than <see cref="MaxBodyBytes"/> are left out of what was drawn (a handful of the whole lists; none of a sample of
    /// 10,000 with seed 42), before the queries are drawn.
    /// </summary>
    /// <exception cref="BenchException">No package qualifies.</exception>
    public static PackageCorpus Build(string source, IReadOnlyList<PackageStanza> stanzas, int? documents, int queries, int seed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var packages = stanzas.Where(s => seen.Add(s.Package)).ToList();
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        var eligible = packages
            .Where(s => s.LongDescription is { } body && WordCount(body) >= MinWords && s.ShortDescription.Length > 0)
            .OrderBy(s => s.Package, StringComparer.Ordinal)
            .Where(s => bodies.Add(s.LongDescription!))
            .Select(s => new PackageDocument(s.Package, s.ShortDescription, s.LongDescription!))
            .ToArray();
        if (eligible.Length == 0)
        {
            throw new BenchException($"{source}: no package has a long description of {MinWords} words or more");
        }
        var random = new Random(seed);
        var chosen = eligible;
        if (documents is { } n && n < eligible.Length)
        {
            chosen = [.. Shuffled(eligible.Length, random).Take(n).Order().Select(i => eligible[i])];
        }
        chosen = [.. chosen.Where(d => Encoding.UTF8.GetByteCount(d.Body) <= MaxBodyBytes)];
        var queryIndexes = Shuffled(chosen.Length, random).Take(Math.Min(queries, chosen.Length)).ToArray();
        return new PackageCorpus(source, packages.Count, eligible.Length, chosen, queryIndexes);
    }

    /// <summary>
    /// The stanzas of a Debian control-style list: <c>Package</c>, and <c>Description</c> (or <c>Description-en</c>)
    /// whose first line is the short description and whose continuation lines (starting with a space) are the long
    /// one; a continuation line of a lone <c>.</c> separates paragraphs and is dropped; <c>Description-md5</c> when
    /// given. Stanzas without a package or a description are skipped.
    /// </summary>
    public static List<PackageStanza> Parse(TextReader reader)
    {
        var stanzas = new List<PackageStanza>();
        string? package = null, shortDescription = null, md5 = null;
        var longDescription = new StringBuilder();
        var inDescription = false;

        void Flush()
        {
            if (package is not null && shortDescription is not null)
            {
                stanzas.Add(new PackageStanza(package, shortDescription, longDescription.Length == 0 ? null : longDescription.ToString(), md5));
            }
            (package, shortDescription, md5, inDescription) = (null, null, null, false);
            longDescription.Clear();
        }

        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (!inDescription) { continue; }
                var text = line.Trim();
                if (text is "." or "") { continue; }
                if (longDescription.Length > 0) { longDescription.Append(' '); }
                longDescription.Append(text);
                continue;
            }
            inDescription = false;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) { continue; }
            var field = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (field.Equals("Package", StringComparison.OrdinalIgnoreCase))
            {
                package = value;
            }
            else if (field.Equals("Description", StringComparison.OrdinalIgnoreCase) || field.Equals("Description-en", StringComparison.OrdinalIgnoreCase))
            {
                shortDescription = value;
                longDescription.Clear();
                inDescription = true;
            }
            else if (field.Equals("Description-md5", StringComparison.OrdinalIgnoreCase))
            {
                md5 = value;
            }
        }
        Flush();
        return stanzas;
    }

    /// <summary>Words of <paramref name="text"/>, split at white space.</summary>
    public static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>0 .. <paramref name="count"/> − 1 in an order drawn from <paramref name="random"/> (Fisher–Yates).</summary>
    private static int[] Shuffled(int count, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Runs a program and returns what it wrote to its standard output.</summary>
    /// <exception cref="BenchException">It could not be started or exited with an error.</exception>
    private static string Run(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) { start.ArgumentList.Add(argument); }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchException($"{program} could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"{program} could not be started ({e.Message}): the corpus needs Debian's apt", e);
        }
        using (process)
        {
            using var registration = cancellationToken.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                throw new BenchException(string.Create(CultureInfo.InvariantCulture,
                    $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.GetAwaiter().GetResult().Trim()}"));
            }
            return output;
        }
    }
}
