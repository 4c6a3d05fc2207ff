using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>Compares lists of frames with a short message naming the first difference.</summary>
internal static class FrameAssert
{
    public static void Same(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual, string what)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].AsSpan().SequenceEqual(actual[i])) continue;
            var at = 0;
            while (at < Math.Min(expected[i].Length, actual[i].Length) && expected[i][at] == actual[i][at]) at++;
            Assert.Fail($"{what}: frame {i} differs at byte {at} (lengths {expected[i].Length} / {actual[i].Length}); " +
                $"expected {Convert.ToHexString(expected[i])}, got {Convert.ToHexString(actual[i])}");
        }
        Assert.That(actual.Count, Is.EqualTo(expected.Count), $"{what}: frame count");
    }
}
