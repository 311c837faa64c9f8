using Vectord.Hnsw.Quantization;

namespace Vectord.Hnsw.Storage;

/// <summary>The quantization part of an <see cref="HnswImage"/>: the quantizer (immutable, shared), how many vectors it
/// was trained on, and the code rows of <paramref name="Stride"/> bytes (copied, or kept unchanged while saved).</summary>
internal sealed record QuantizedImage(ScalarQuantizer? Quantizer, int TrainedOn, byte[] Codes, int Stride)
{
    /// <summary>Writes the quantizer and codes sections of format version 2 (see <see cref="HnswIndex"/>'s remarks).</summary>
    public void Save(SectionWriter writer, int slots, int dimension)
    {
        writer.BeginSection(SectionTag.Quantizer, Quantizer is null ? 4 : 4 + (8L * dimension));
        writer.WriteInt32(Quantizer is null ? 0 : TrainedOn);
        if (Quantizer is not null)
        {
            writer.WriteSingles(Quantizer.Low);
            writer.WriteSingles(Quantizer.Step);
        }
        writer.EndSection();

        writer.BeginSection(SectionTag.Codes, Quantizer is null ? 0 : (long)slots * dimension);
        if (Quantizer is not null)
        {
            for (int i = 0; i < slots; i++)
            {
                writer.WriteBytes(Codes.AsSpan(i * Stride, dimension));
            }
        }
        writer.EndSection();
    }
}
