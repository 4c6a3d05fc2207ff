namespace Wirecap.Testing;

/// <summary>Sources of data-driven tests (files, corpora, recorded cases).</summary>
public static class DataDriven
{
    /// <summary>
    /// The cases, materialised; an empty source throws, so a data-driven test whose data went missing
    /// (or whose filter matches nothing) fails instead of passing over no case at all.
    /// </summary>
    public static IReadOnlyList<T> NonEmpty<T>(this IEnumerable<T> cases, string what)
    {
        var list = cases.ToList();
        if (list.Count == 0) throw new InvalidDataException($"no {what}: the data-driven test has nothing to check");
        return list;
    }
}
