using System.Runtime.CompilerServices;
namespace Wirecap.Filter.Optimization;

/// <summary>
/// What jump threading learns on the path it is exploring from one edge, kept beside the edge's
/// <see cref="ValueState"/> instead of in it: test outcomes are looked up here first (newest first) and undone on
/// the way back, so exploring a path changes the state in place rather than copying it and its
/// <see cref="ValueState.Tests"/> map at every block (which was most of the compiler's time and memory on long chains).
/// </summary>
internal sealed class ExplorationTrail
{
    private readonly List<((int Value, ushort Jump, int Operand) Key, bool Outcome)> _tests = [];
    private readonly List<(int Value, uint[]? Before)> _possible = [];

    /// <summary>A point to <see cref="Undo"/> back to.</summary>
    public (int Tests, int Possible) Mark => (_tests.Count, _possible.Count);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTest((int Value, ushort Jump, int Operand) key, bool outcome) => _tests.Add((key, outcome));

    /// <summary>The outcome learned last on this path for <paramref name="key"/>, as a map's newest entry would be.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetTest((int Value, ushort Jump, int Operand) key, out bool outcome)
    {
        for (var i = _tests.Count - 1; i >= 0; i--)
        {
            if (_tests[i].Key == key)
            {
                outcome = _tests[i].Outcome;
                return true;
            }
        }
        outcome = false;
        return false;
    }

    /// <summary>Sets what <paramref name="value"/> can be in <paramref name="state"/>, remembering what it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetPossible(ValueState state, int value, uint[] set)
    {
        _possible.Add((value, state.Possible.TryGetValue(value, out var before) ? before : null));
        state.WritablePossible()[value] = set;
    }

    /// <summary>Takes back, newest first, what was learned since <paramref name="mark"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Undo(ValueState state, (int Tests, int Possible) mark)
    {
        _tests.RemoveRange(mark.Tests, _tests.Count - mark.Tests);
        for (var i = _possible.Count - 1; i >= mark.Possible; i--)
        {
            var (value, before) = _possible[i];
            if (before is null)
                state.WritablePossible().Remove(value);
            else
                state.WritablePossible()[value] = before;
        }
        _possible.RemoveRange(mark.Possible, _possible.Count - mark.Possible);
    }
}
