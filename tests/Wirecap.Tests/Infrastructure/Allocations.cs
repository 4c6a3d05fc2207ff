namespace Wirecap.Tests.Infrastructure;

/// <summary>
/// Measures what code allocates on the calling thread, judged by its quietest round. The runtime
/// itself allocates on the thread now and then (tiered JIT call counting, on-stack replacement,
/// first use of a type), once and not per packet; a per-packet allocation shows in every round,
/// so the quietest of a few rounds is 0 exactly when the code under test allocates nothing.
/// </summary>
public static class Allocations
{
    /// <summary>The fewest bytes any of <paramref name="rounds"/> runs of <paramref name="round"/> allocated on this thread.</summary>
    public static long Quietest(int rounds, Action round) => Quietest(rounds, () => round, run => run());

    /// <summary>
    /// Like <see cref="Quietest(int, Action)"/>, with a fresh <paramref name="arrange"/>d state per round
    /// whose making (and disposal, when it is <see cref="IDisposable"/>) is not counted.
    /// </summary>
    public static long Quietest<T>(int rounds, Func<T> arrange, Action<T> round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        long quietest = long.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            T state = arrange();
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                round(state);
                quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            finally
            {
                (state as IDisposable)?.Dispose();
            }
        }
        return quietest;
    }
}
