using System.Buffers;

namespace Vectord.Contracts;

/// <summary>
/// Collects the components of a vector being read into a pooled buffer that doubles as needed, so a vector of
/// unknown length costs one exact-size array. Call <see cref="Release"/> in a <c>finally</c>.
/// </summary>
internal struct FloatCollector(int capacity)
{
    private float[] _buffer = ArrayPool<float>.Shared.Rent(capacity);

    /// <summary>Components collected so far.</summary>
    public int Count { get; private set; }

    public void Add(float value)
    {
        if (Count == _buffer.Length)
        {
            float[] larger = ArrayPool<float>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<float>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _buffer[Count++] = value;
    }

    /// <summary>The components as an array of their own.</summary>
    public readonly float[] ToArray() => _buffer.AsSpan(0, Count).ToArray();

    /// <summary>Returns the buffer to the pool.</summary>
    public void Release()
    {
        ArrayPool<float>.Shared.Return(_buffer);
        _buffer = [];
        Count = 0;
    }
}
