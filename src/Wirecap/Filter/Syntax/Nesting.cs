namespace Wirecap.Filter.Syntax;

/// <summary>
/// Counts how deeply the parser is nested in parentheses, brackets, <c>not</c>/<c>!</c> and unary minus,
/// and refuses an expression deeper than <see cref="MaxDepth"/>. Every stage after the parser walks
/// nested terms recursively (chains of <c>and</c>/<c>or</c> and of arithmetic operators are walked in
/// loops), so this bound keeps them all within a small thread stack: a 256 KiB one compiles any
/// expression the parser accepts. libpcap's parser gives up near 5,000 levels ("memory exhausted").
/// </summary>
internal sealed class Nesting
{
    public const int MaxDepth = 200;
    private int _depth;

    public void Enter(int position)
    {
        if (++_depth > MaxDepth)
        {
            _depth--;
            throw new FilterException($"expression nested too deeply (more than {MaxDepth} levels of parentheses, brackets, 'not' or unary minus)", position);
        }
    }

    public void Leave() => _depth--;
}
