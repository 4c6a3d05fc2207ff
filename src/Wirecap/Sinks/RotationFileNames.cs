using System.Globalization;
using System.Text;

namespace Wirecap.Sinks;

/// <summary>File names as tcpdump makes them for -C/-G/-W.</summary>
internal static class RotationFileNames
{
    /// <summary>
    /// The name of file number <paramref name="count"/>: the pattern (strftime-expanded when rotating
    /// by time), then the number — omitted for the first file unless a file count is set, padded to
    /// the width of the largest number when it is.
    /// </summary>
    public static string Make(string pattern, RotationOptions rotation, int count, DateTimeOffset openedAt)
    {
        string name = rotation.Interval is null ? pattern : Strftime(pattern, openedAt);
        if (rotation.MaxFileBytes is null) return name;
        if (rotation.FileCount is { } files)
            return name + count.ToString(CultureInfo.InvariantCulture).PadLeft(Digits(files - 1), '0');
        return count == 0 ? name : name + count.ToString(CultureInfo.InvariantCulture);
    }

    private static int Digits(int value) => Math.Max(1, value.ToString(CultureInfo.InvariantCulture).Length);

    /// <summary>The strftime conversions that make sense in file names.</summary>
    public static string Strftime(string pattern, DateTimeOffset t)
    {
        var result = new StringBuilder(pattern.Length + 16);
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '%' || i + 1 == pattern.Length)
            {
                result.Append(pattern[i]);
                continue;
            }
            char c = pattern[++i];
            result.Append(c switch
            {
                'Y' => t.Year.ToString("D4", CultureInfo.InvariantCulture),
                'y' => (t.Year % 100).ToString("D2", CultureInfo.InvariantCulture),
                'm' => t.Month.ToString("D2", CultureInfo.InvariantCulture),
                'd' => t.Day.ToString("D2", CultureInfo.InvariantCulture),
                'H' => t.Hour.ToString("D2", CultureInfo.InvariantCulture),
                'M' => t.Minute.ToString("D2", CultureInfo.InvariantCulture),
                'S' => t.Second.ToString("D2", CultureInfo.InvariantCulture),
                'j' => t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture),
                's' => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'F' => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + c,
            });
        }
        return result.ToString();
    }
}
