using System.Runtime.CompilerServices;
namespace Wirecap.Filter.Optimization;

/// <summary>
/// What is known at a point of the program: the value ids in A, X and M[], the values already
/// loaded from the packet on every path here, and the outcomes of tests already made.
/// </summary>
internal sealed class ValueState
{
    public int A;
    public int X;
    public int[] Memory;
    public FactMap<int, bool> Available = FactMap<int, bool>.Empty;
    /// <summary>
    /// Values known to be one of a few constants (from <c>jeq</c> outcomes on the paths here). Read only: it may be
    /// shared with copies of this state; <see cref="SetPossible"/> and <see cref="ExplorationTrail"/> write it.
    /// </summary>
    public Dictionary<int, uint[]> Possible { get; private set; }
    // Whether Possible is shared with a copy of this state (or with the state it was copied from), so that writing it
    // must copy it first: a long chain copies a state twice per test, and most copies never change what it holds.
    private bool _possibleShared;
    public FactMap<(int Value, ushort Jump, int Operand), bool> Tests = FactMap<(int, ushort, int), bool>.Empty;
    /// <summary>
    /// Every value some entry of <see cref="Tests"/> holds true for (perhaps more: a later outcome may replace it),
    /// so jump threading can tell cheaply that no test of a value can be decided true (<see cref="OrRuns"/>).
    /// </summary>
    public FactMap<int, bool> HeldFor = FactMap<int, bool>.Empty;
    /// <summary>Set while jump threading explores paths from this state in place; never copied by <see cref="Clone"/>.</summary>
    public ExplorationTrail? Trail;

    private const int MaxPossible = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ValueState Entry(ValueTable values)
    {
        var state = new ValueState { A = values.Fresh(), X = values.Fresh() };
        for (var i = 0; i < state.Memory.Length; i++)
            state.Memory[i] = values.Fresh();
        return state;
    }

    public ValueState()
    {
        Memory = new int[16];
        Possible = [];
    }

    // A copy's own fields, without the fresh ones the public constructor makes (the sweep copies a state twice per test).
    private ValueState(ValueState source)
    {
        A = source.A;
        X = source.X;
        Memory = (int[])source.Memory.Clone();
        Available = source.Available;
        Possible = source.Possible;
        _possibleShared = source._possibleShared = true;
        Tests = source.Tests;
        HeldFor = source.HeldFor;
    }

    public ValueState Clone() => new(this);

    /// <summary><see cref="Possible"/>, copied first when it is shared, to be written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dictionary<int, uint[]> WritablePossible()
    {
        if (_possibleShared)
        {
            Possible = new Dictionary<int, uint[]>(Possible);
            _possibleShared = false;
        }
        return Possible;
    }

    /// <summary>The outcome of a test already made on every path here (or on the path being explored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetTest((int Value, ushort Jump, int Operand) key, out bool outcome) =>
        (Trail is not null && Trail.TryGetTest(key, out outcome)) || Tests.TryGetValue(key, out outcome);

    /// <summary>Records a test's outcome: on the trail while one is being explored, in <see cref="Tests"/> otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTest((int Value, ushort Jump, int Operand) key, bool outcome)
    {
        if (Trail is not null)
        {
            Trail.AddTest(key, outcome);
            return;
        }
        Tests = Tests.SetItem(key, outcome);
        if (outcome)
            HeldFor = HeldFor.SetItem(key.Value, true);
    }

    /// <summary>Sets the constants <paramref name="value"/> can be (undoably while a trail is explored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetPossible(int value, uint[] set)
    {
        if (Trail is not null)
            Trail.SetPossible(this, value, set);
        else
            WritablePossible()[value] = set;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetConstant(ValueTable values, int id, out uint value)
    {
        if (values.TryGetConstant(id, out value))
            return true;
        if (Possible.TryGetValue(id, out var set) && set.Length == 1)
        {
            value = set[0];
            return true;
        }
        return false;
    }

    /// <summary>What holds on every one of several incoming paths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ValueState Meet(ValueTable values, IReadOnlyList<ValueState> states)
    {
        if (states.Count == 1)
            return states[0].Clone();
        var first = states[0];
        // Loops rather than LINQ: a meet runs at every block of every sweep, and closures allocate.
        var result = new ValueState
        {
            A = AllEqual(states, s => s.A) ? first.A : values.Fresh(),
            X = AllEqual(states, s => s.X) ? first.X : values.Fresh(),
        };
        for (var i = 0; i < result.Memory.Length; i++)
        {
            var same = true;
            for (var j = 1; j < states.Count && same; j++)
                same = states[j].Memory[i] == first.Memory[i];
            result.Memory[i] = same ? first.Memory[i] : values.Fresh();
        }
        result.Available = first.Available;
        result.Tests = first.Tests;
        result.HeldFor = first.HeldFor;
        for (var i = 1; i < states.Count; i++)
        {
            result.Available = result.Available.Intersect(states[i].Available);
            result.Tests = result.Tests.Intersect(states[i].Tests);
            // A true outcome kept by the meet was in every state's Tests, so its value is in every HeldFor.
            result.HeldFor = result.HeldFor.Intersect(states[i].HeldFor);
        }
        foreach (var (v, set) in first.Possible)
        {
            if (Union(states, v, set) is { } union)
                result.WritablePossible()[v] = union;
        }
        return result;
    }

    private static bool AllEqual(IReadOnlyList<ValueState> states, Func<ValueState, int> register)
    {
        var value = register(states[0]);
        for (var i = 1; i < states.Count; i++)
        {
            if (register(states[i]) != value)
                return false;
        }
        return true;
    }

    /// <summary>The constants <paramref name="v"/> can be on any of the paths, in order of first appearance; null when a path does not limit it or they are too many.</summary>
    private static uint[]? Union(IReadOnlyList<ValueState> states, int v, uint[] first)
    {
        var union = new List<uint>(first.Length);
        foreach (var s in states)
        {
            if (!s.Possible.TryGetValue(v, out var set))
                return null;
            foreach (var c in set)
            {
                if (!union.Contains(c))
                {
                    if (union.Count == MaxPossible)
                        return null;
                    union.Add(c);
                }
            }
        }
        return [.. union];
    }
}
