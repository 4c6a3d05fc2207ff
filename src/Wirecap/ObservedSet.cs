namespace Wirecap;

/// <summary>The live objects an observable instrument reports on: added when opened, removed when disposed,
/// enumerated (as a snapshot) by the instrument's callback on a listener's thread.</summary>
internal sealed class ObservedSet<T> where T : class
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];

    public void Add(T item)
    {
        lock (_gate) _items.Add(item);
    }

    public void Remove(T item)
    {
        lock (_gate) _items.Remove(item);
    }

    public T[] Snapshot()
    {
        lock (_gate) return [.. _items];
    }
}
