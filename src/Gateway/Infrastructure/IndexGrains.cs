using System.Collections.Concurrent;

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// The index grains by name, for the handlers. <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string)"/>
/// resolves the interface's grain type and builds a new reference on every call, a measurable share of a search's
/// CPU time; a reference kept per name costs one lookup. Names come from requests, so the cache is bounded: when
/// it is full it starts again empty.
/// </summary>
public sealed class IndexGrains(IGrainFactory grains)
{
    /// <summary>Most references kept.</summary>
    public const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, IVectorIndexGrain> _references = new(StringComparer.Ordinal);

    /// <summary>
    /// The index grain named <paramref name="name"/>. A name that breaks <see cref="IndexNames"/>' rule is answered
    /// here (400) and never becomes a grain.
    /// </summary>
    public IVectorIndexGrain Index(string? name)
    {
        IndexNames.ThrowIfInvalid(name);
        if (_references.TryGetValue(name, out IVectorIndexGrain? grain))
        {
            return grain;
        }
        grain = grains.GetGrain<IVectorIndexGrain>(name);
        if (_references.Count >= MaxCached)
        {
            _references.Clear();
        }
        _references[name] = grain;
        return grain;
    }

    /// <summary>References currently kept.</summary>
    internal int Count => _references.Count;
}
