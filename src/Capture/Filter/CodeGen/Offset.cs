namespace Capture.Filter.CodeGen;

/// <summary>
/// A packet offset known at compile time (<see cref="Register"/> = -1) or held at run time in scratch
/// memory <c>M[Register]</c> plus <see cref="Constant"/> (after variable-length headers such as Geneve).
/// </summary>
internal readonly record struct Offset(int Constant, int Register = -1)
{
    public bool IsVariable => Register >= 0;

    public Offset Plus(int delta) => this with { Constant = Constant + delta };
}
