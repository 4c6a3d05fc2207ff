using Wirecap.Formats;

namespace ReadLoops;

/// <summary>A user's two ways of reading a file by path, as they would write them; ReadPair calls them by reflection.</summary>
public static class Loops
{
    /// <summary>The synchronous loop over each record's bytes in place.</summary>
    public static long Read(string path)
    {
        using var reader = CaptureReader.Open(path);
        long bytes = 0;
        while (reader.Read()) bytes += reader.Current.Data.Length;
        return bytes;
    }

    /// <summary>The asynchronous loop: <c>await ReadAsync()</c>, then the record (a ref struct, so read outside the state machine).</summary>
    public static async Task<long> ReadAsync(string path)
    {
        await using var reader = await CaptureReader.OpenAsync(path);
        long bytes = 0;
        while (await reader.ReadAsync()) bytes += Length(reader);
        return bytes;

        static int Length(CaptureReader reader) => reader.Current.Data.Length;
    }
}
