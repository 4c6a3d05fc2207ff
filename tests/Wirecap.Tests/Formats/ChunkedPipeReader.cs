using System.Buffers;
using System.IO.Pipelines;

namespace Wirecap.Tests.Formats;

/// <summary>
/// A <see cref="PipeReader"/> fed in chunks: each read reveals one more chunk, held in its own
/// array as its own buffer segment, so a structure that spans a chunk boundary reaches the reader
/// as a multi-segment sequence (and reading past a segment's end cannot pass unnoticed). With
/// <c>revealAll</c> the first read returns every chunk at once, still one segment each.
/// </summary>
public sealed class ChunkedPipeReader : PipeReader
{
    private readonly Chunk _head;
    private Chunk _consumedSegment;
    private int _consumedIndex;
    private Chunk? _revealed;
    private readonly bool _revealAll;

    /// <summary>Splits <paramref name="data"/> at the given offsets.</summary>
    public ChunkedPipeReader(byte[] data, IEnumerable<int> cuts, bool revealAll = false)
    {
        _revealAll = revealAll;
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length).ToList();
        int start = 0;
        Chunk? previous = null;
        foreach (int end in bounds)
        {
            var chunk = new Chunk(data.AsMemory(start, end - start).ToArray(), previous);
            previous = chunk;
            _head ??= chunk;
            start = end;
        }
        _head ??= new Chunk([], null);
        _consumedSegment = _head;
    }

    /// <summary>Chunks of 1 to <paramref name="maxChunk"/> bytes from a seeded random sequence.</summary>
    public static ChunkedPipeReader Random(byte[] data, int seed, int maxChunk = 7)
    {
        var random = new Random(seed);
        var cuts = new List<int>();
        for (int at = random.Next(1, maxChunk + 1); at < data.Length; at += random.Next(1, maxChunk + 1)) cuts.Add(at);
        return new ChunkedPipeReader(data, cuts);
    }

    /// <summary>Times <see cref="Complete"/> was called.</summary>
    public int Completions { get; private set; }

    /// <summary>Stream offset up to which the consumer has advanced.</summary>
    public long Consumed => _consumedSegment.RunningIndex + _consumedIndex;

    public override bool TryRead(out ReadResult result)
    {
        result = Current();
        return _revealed is not null;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _revealed = _revealed is null ? _head : _revealed.NextChunk ?? _revealed;
        while (_revealAll && _revealed.NextChunk is not null) _revealed = _revealed.NextChunk;
        return new ValueTask<ReadResult>(Current());
    }

    private ReadResult Current()
    {
        if (_revealed is null) return new ReadResult(default, false, false);
        var buffer = new ReadOnlySequence<byte>(_consumedSegment, _consumedIndex, _revealed, _revealed.Memory.Length);
        return new ReadResult(buffer, isCanceled: false, isCompleted: _revealed.NextChunk is null);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var segment = (Chunk)consumed.GetObject()!;
        int index = consumed.GetInteger();
        if (segment.RunningIndex + index < Consumed) throw new InvalidOperationException("AdvanceTo went backwards");
        _consumedSegment = segment;
        _consumedIndex = index;
    }

    public override void CancelPendingRead() { }

    public override void Complete(Exception? exception = null) => Completions++;

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(byte[] bytes, Chunk? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }

        public Chunk? NextChunk => (Chunk?)Next;
    }
}
