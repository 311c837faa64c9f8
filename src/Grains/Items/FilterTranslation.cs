namespace Vectord.Grains.Items;

internal static class FilterTranslation
{
    public static int Unsupported(ItemFilter? filter) =>
        filter is null ? 0 : throw new InvalidIndexArgumentException("filter: not supported yet");
}
