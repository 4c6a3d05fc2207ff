namespace Wirecap.Filter.CodeGen;

/// <summary>
/// A packet offset known at compile time (<see cref="Register"/> null) or held at run time in
/// scratch memory <c>M[Register]</c> plus <see cref="Constant"/> (after variable-length headers
/// such as Geneve). The default value is the fixed offset 0.
/// </summary>
internal readonly record struct Offset(int Constant, int? Register = null)
{
    public bool IsVariable => Register is not null;

    public Offset Plus(int delta) => this with { Constant = Constant + delta };
}
