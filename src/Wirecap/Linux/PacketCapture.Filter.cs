using Wirecap.Bpf;
using Wirecap.Filter;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    private readonly object _filterLock = new();
    private FilterChange? _pendingFilter;
    private PacketFilter? _refilter;
    private int _refilterUnits;

    /// <summary>A new filter, waiting for the reader to adopt it at the next frame.</summary>
    private sealed record FilterChange(PacketFilter? UserSpace, PacketFilter? Refilter, int Units);

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
                var userSpace = SocketFilterInstaller.Install(_socket, filter, SnapLength, LinkType, InterfaceName);
                // Every unit now in the ring (and a block the kernel is filling) may hold frames the old filter let in.
                var refilter = userSpace is null && filter is not null ? PacketFilter.Create(filter, LinkType) : null;
                Volatile.Write(ref _pendingFilter, new FilterChange(userSpace, refilter, _immediate ? _slots.UnitCount : _blocks.UnitCount));
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
        _refilterUnits = change.Refilter is null ? 0 : change.Units;
    }

    /// <summary>Called when a ring unit (block or slot) goes back to the kernel: counts down the units that need
    /// filtering again.</summary>
    private void UnitDone()
    {
        if (_refilterUnits > 0 && --_refilterUnits == 0) _refilter = null;
    }
}
