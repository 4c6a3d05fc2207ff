using Capture.Bpf;

namespace Capture.Linux;

public sealed partial class PacketCapture
{
    private readonly object _filterLock = new();
    private FilterChange? _pendingFilter;
    private IUserSpaceFilter? _refilter;
    private int _refilterBlocks;

    /// <summary>A new filter, waiting for the reader to adopt it at the next frame.</summary>
    private sealed record FilterChange(IUserSpaceFilter? UserSpace, IUserSpaceFilter? Refilter, int Blocks);

    /// <summary>Replaces the filter of a running capture (null: capture everything), from any thread. The kernel
    /// switches programs atomically; frames already queued in the ring under the old filter are filtered again in
    /// this process, so once this returns no frame that the new filter rejects is delivered, and none that it accepts
    /// is lost in the switch.</summary>
    public void SetFilter(BpfProgram? filter)
    {
        AcquireOrThrow();
        try
        {
            lock (_filterLock)
            {
                var userSpace = KernelFilter.Install(_socket, filter, SnapLength, _cooked, InterfaceName);
                // Every block now in the ring (and the one the kernel is filling) may hold frames the old filter let in.
                var refilter = userSpace is null && filter is not null ? new BpfUserSpaceFilter(filter) : null;
                Volatile.Write(ref _pendingFilter, new FilterChange(userSpace, refilter, _ring.BlockCount + 1));
            }
        }
        finally
        {
            Release();
        }
    }

    private void AdoptPendingFilter()
    {
        var change = Interlocked.Exchange(ref _pendingFilter, null);
        if (change is null) return;
        _userFilter = change.UserSpace;
        _refilter = change.Refilter;
        _refilterBlocks = change.Refilter is null ? 0 : change.Blocks;
    }

    /// <summary>Called when a block goes back to the kernel: counts down the blocks that need filtering again.</summary>
    private void BlockDone()
    {
        if (_refilterBlocks > 0 && --_refilterBlocks == 0) _refilter = null;
    }
}
