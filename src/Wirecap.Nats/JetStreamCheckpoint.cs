using System.Globalization;

namespace Wirecap.Nats;

/// <summary>How far a collector got: the stream sequence of the last batch it wrote from, how many of that batch's
/// packets it took, and how long its output was then. Saved after the output is flushed and before the batch is
/// acknowledged, so a collector killed anywhere resumes exactly: output past <see cref="OutputLength"/> is the
/// unfinished tail of a batch that comes again, cut off before it is written anew.</summary>
/// <param name="StreamSequence">The last batch's sequence number in the stream.</param>
/// <param name="Taken">Packets of that batch already written.</param>
/// <param name="OutputLength">Bytes of output holding exactly what was taken.</param>
public sealed record JetStreamCheckpoint(ulong StreamSequence, int Taken, long OutputLength)
{
    /// <summary>Reads a checkpoint saved by <see cref="Save"/>, or null when there is none.</summary>
    /// <exception cref="FormatException">The file is not a checkpoint.</exception>
    public static JetStreamCheckpoint? Load(string path)
    {
        if (!File.Exists(path)) return null;
        var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 3
            || !ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong sequence)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int taken)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            throw new FormatException($"'{path}' is not a JetStream checkpoint (SEQUENCE TAKEN LENGTH)");
        return new JetStreamCheckpoint(sequence, taken, length);
    }

    /// <summary>Replaces the checkpoint at <paramref name="path"/> in one step (a new file renamed over the old), so a
    /// crash leaves the old checkpoint or the new one, never half of one.</summary>
    public void Save(string path)
    {
        string temporary = path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{StreamSequence} {Taken} {OutputLength}\n")));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
