using System.Runtime.CompilerServices;
namespace Wirecap.Filter.Optimization;

/// <summary>
/// An immutable map, kept as a treap whose shape depends only on its keys. The optimizer copies what it knows on
/// every edge and intersects it where paths meet; with this map a copy is free, a change copies one path, and two
/// maps grown from one ancestor intersect in time that grows with where they differ, not with their size, since
/// subtrees they still share are taken whole. (With hash sets and dictionaries, copying and meeting made a chain
/// of N tests cost N² in every optimizer round.)
/// </summary>
internal sealed class FactMap<TKey, TValue>
    where TKey : IComparable<TKey>
    where TValue : IEquatable<TValue>
{
    public static readonly FactMap<TKey, TValue> Empty = new(null);

    private readonly Node? _root;

    private FactMap(Node? root) => _root = root;

    private sealed class Node(TKey key, TValue value, uint priority, Node? left, Node? right)
    {
        public readonly TKey Key = key;
        public readonly TValue Value = value;
        public readonly uint Priority = priority;
        public readonly Node? Left = left;
        public readonly Node? Right = right;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Node With(Node? left, Node? right) =>
            ReferenceEquals(left, Left) && ReferenceEquals(right, Right) ? this : new Node(Key, Value, Priority, left, right);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(TKey key, out TValue value)
    {
        for (var node = _root; node is not null;)
        {
            var c = key.CompareTo(node.Key);
            if (c == 0)
            {
                value = node.Value;
                return true;
            }
            node = c < 0 ? node.Left : node.Right;
        }
        value = default!;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FactMap<TKey, TValue> SetItem(TKey key, TValue value)
    {
        var root = Insert(_root, key, value, Priority(key));
        return ReferenceEquals(root, _root) ? this : new FactMap<TKey, TValue>(root);
    }

    /// <summary>The entries both maps hold with equal values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FactMap<TKey, TValue> Intersect(FactMap<TKey, TValue> other)
    {
        if (ReferenceEquals(this, other))
            return this;
        var root = Intersect(_root, other._root);
        return ReferenceEquals(root, _root) ? this : ReferenceEquals(root, other._root) ? other : new FactMap<TKey, TValue>(root);
    }

    // A fixed mix of the key's hash: equal key sets give equal shapes, and shapes are balanced on average.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint Priority(TKey key)
    {
        var h = (uint)key.GetHashCode() * 0x9E3779B1u;
        h ^= h >> 15;
        h *= 0x85EBCA77u;
        return h ^ (h >> 13);
    }

    /// <summary>Heap order: the higher priority above, ties broken by the key so the order is total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Above(uint priority, TKey key, Node other) =>
        priority > other.Priority || (priority == other.Priority && key.CompareTo(other.Key) < 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Node Insert(Node? node, TKey key, TValue value, uint priority)
    {
        if (node is null)
            return new Node(key, value, priority, null, null);
        var c = key.CompareTo(node.Key);
        if (c == 0)
            return node.Value.Equals(value) ? node : new Node(key, value, node.Priority, node.Left, node.Right);
        if (Above(priority, key, node))
        {
            // The key is not below a node it would sit above, so the split finds no equal key.
            var (left, _, right) = Split(node, key);
            return new Node(key, value, priority, left, right);
        }
        return c < 0 ? node.With(Insert(node.Left, key, value, priority), node.Right) : node.With(node.Left, Insert(node.Right, key, value, priority));
    }

    /// <summary>The keys below <paramref name="key"/>, the node holding it (if any), the keys above it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (Node? Left, Node? Found, Node? Right) Split(Node? node, TKey key)
    {
        if (node is null)
            return (null, null, null);
        var c = key.CompareTo(node.Key);
        if (c == 0)
            return (node.Left, node, node.Right);
        if (c < 0)
        {
            var (left, found, right) = Split(node.Left, key);
            return (left, found, node.With(right, node.Right));
        }
        else
        {
            var (left, found, right) = Split(node.Right, key);
            return (node.With(node.Left, left), found, right);
        }
    }

    /// <summary>Two treaps, every key of <paramref name="left"/> below every key of <paramref name="right"/>, as one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Node? Join(Node? left, Node? right)
    {
        if (left is null)
            return right;
        if (right is null)
            return left;
        return Above(left.Priority, left.Key, right)
            ? left.With(left.Left, Join(left.Right, right))
            : right.With(Join(left, right.Left), right.Right);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Node? Intersect(Node? a, Node? b)
    {
        if (a is null || b is null)
            return null;
        if (ReferenceEquals(a, b))
            return a;
        if (!Above(a.Priority, a.Key, b))
            (a, b) = (b, a);
        var (left, found, right) = Split(b, a.Key);
        var l = Intersect(a.Left, left);
        var r = Intersect(a.Right, right);
        return found is not null && found.Value.Equals(a.Value) ? a.With(l, r) : Join(l, r);
    }
}
