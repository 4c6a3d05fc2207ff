using NUnit.Framework;
using Wirecap.Filter.Optimization;

namespace Wirecap.Tests.Filter;

/// <summary>The optimizer's persistent map against a dictionary: random writes on branching copies, then meets.</summary>
[TestFixture]
public class FactMapTests
{
    [Test]
    public void Branching_copies_and_their_intersections_hold_what_dictionaries_hold()
    {
        var random = new Random(7);
        var maps = new List<(FactMap<int, bool> Map, Dictionary<int, bool> Reference)> { (FactMap<int, bool>.Empty, new()) };
        for (var step = 0; step < 3000; step++)
        {
            var (map, reference) = maps[random.Next(maps.Count)];
            reference = new Dictionary<int, bool>(reference);
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                var key = random.Next(400);
                var value = random.Next(2) == 0;
                map = map.SetItem(key, value);
                reference[key] = value;
            }
            if (random.Next(4) == 0)
            {
                var (other, otherReference) = maps[random.Next(maps.Count)];
                map = map.Intersect(other);
                reference = reference.Where(e => otherReference.TryGetValue(e.Key, out var v) && v == e.Value).ToDictionary(e => e.Key, e => e.Value);
            }
            maps.Add((map, reference));
        }
        foreach (var (map, reference) in maps)
        {
            for (var key = 0; key < 400; key++)
            {
                var present = map.TryGetValue(key, out var value);
                Assert.That(present, Is.EqualTo(reference.ContainsKey(key)), $"key {key}");
                if (present)
                    Assert.That(value, Is.EqualTo(reference[key]), $"key {key}");
            }
        }
        var (first, _) = maps[^1];
        Assert.That(first.Intersect(first), Is.SameAs(first));
        Assert.That(first.SetItem(1, true).SetItem(1, true).TryGetValue(1, out var one) && one, Is.True);
    }
}
