using Orleans.Storage;

namespace Vectord.Grains;

/// <summary>Turns grain-state write failures into the contract's errors.</summary>
internal static class GrainStateWrites
{
    /// <summary>Runs a state write or clear. A version conflict returns false (another activation wrote first);
    /// any other storage failure raises <see cref="StorageUnavailableException"/>.</summary>
    public static async Task<bool> TryAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
        catch (StorageUnavailableException e)
        {
            throw new StorageUnavailableException(e.Message);
        }
        catch (OrleansException e) when (e.InnerException is StorageUnavailableException inner)
        {
            throw new StorageUnavailableException(inner.Message);
        }
        catch (OrleansException e) when (e.InnerException is InconsistentStateException)
        {
            return false;
        }
    }
}
