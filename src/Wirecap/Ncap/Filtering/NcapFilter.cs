using Wirecap.Formats.Ncap;
namespace Wirecap.Ncap;

/// <summary>
/// An NCAP filter in ncaptool's family syntax (<c>dns flags=qr rcode=nxdomain icmp type=unreach</c>), selecting
/// the messages ncaptool selects (the README lists the few deliberate differences). Families are OR-ed; the terms
/// of a family are AND-ed; <c>term=value,...</c> wants, <c>term#value,...</c> negates. A message matches when no
/// family is given or when every term of some family matches.
/// </summary>
public sealed class NcapFilter
{
    private readonly IReadOnlyList<IReadOnlyList<INcapRule>> _families;

    internal NcapFilter(string specification, IReadOnlyList<IReadOnlyList<INcapRule>> families)
    {
        Specification = specification;
        _families = families;
    }

    /// <summary>A filter that accepts every message.</summary>
    public static NcapFilter All { get; } = new("", []);

    /// <summary>The text the filter was parsed from.</summary>
    public string Specification { get; }

    /// <summary>Parses a specification; throws <see cref="NcapFilterException"/> naming the column of the problem.</summary>
    public static NcapFilter Parse(string specification) => NcapFilterParser.Parse(specification);

    /// <summary>True when <paramref name="message"/> passes the filter.</summary>
    public bool Matches(in NcapRecord message)
    {
        if (_families.Count == 0) return true;
        foreach (var family in _families)
        {
            bool all = true;
            foreach (var rule in family)
            {
                if (!rule.Matches(message))
                {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }

    /// <summary>
    /// A pcap-filter expression accepting a superset of what this filter accepts, for a kernel
    /// prefilter on interface sources (ncap's approach: fewer packets cross into user space, and
    /// <see cref="Matches"/> still decides). Null when the filter accepts everything.
    /// </summary>
    public string? KernelExpression
    {
        get
        {
            if (_families.Count == 0) return null;
            var families = _families.Select(f => string.Join(" and ", f.Select(r => r.KernelExpression).OfType<string>())).ToList();
            return families.Count == 1 ? families[0] : string.Join(" or ", families.Select(f => $"({f})"));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Specification;
}
