using System.Buffers;

namespace Wirecap.Tests.Bpf;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s for tests.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        if (parts.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
            last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="bytes"/> at the given cut points (each in 0..Length, ascending).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var parts = new List<byte[]>();
        int start = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            parts.Add(bytes[start..cut]);
            start = cut;
        }
        return Of([.. parts]);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
