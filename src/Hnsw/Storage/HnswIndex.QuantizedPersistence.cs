using Vectord.Hnsw.Quantization;
using Vectord.Hnsw.Storage;

namespace Vectord.Hnsw;

// Reading the quantizer and codes sections of format version 2 (the layout is in HnswIndex.Persistence.cs).
public sealed partial class HnswIndex
{
    private void ReadQuantizer(SectionReader reader)
    {
        int trainedOn = reader.ReadInt32();
        if (trainedOn == 0)
        {
            return;
        }
        if (trainedOn < 0 || trainedOn > TrainingSample || trainedOn > _slotCount)
        {
            throw new SectionCorruptException($"bad training count {trainedOn} in section quantizer");
        }
        var low = new float[_dim];
        var step = new float[_dim];
        reader.ReadSingles(low);
        reader.ReadSingles(step);
        try
        {
            _quantizer = new ScalarQuantizer(low, step);
        }
        catch (ArgumentException e)
        {
            throw new SectionCorruptException($"{e.Message} in section quantizer");
        }
        _trainedOn = trainedOn;
        _codes = new byte[(long)_capacity * _codeStride];
    }

    private void ReadCodes(SectionReader reader)
    {
        if (_quantizer is not { } quantizer)
        {
            return;                                           // nothing trained: the section is empty
        }
        for (int i = 0; i < _slotCount; i++)
        {
            Span<byte> row = _codes.AsSpan(i * _codeStride, _codeStride);
            reader.ReadBytes(row[.._dim]);
            SetCodeNorm(quantizer, row);
        }
    }
}
