namespace Wirecap.Ebpf;

/// <summary>The eBPF registers. R0 holds return values, R1–R5 are call arguments (clobbered by calls), R6–R9 are
/// kept across calls, and R10 is the read-only frame pointer.</summary>
public enum EbpfRegister : byte
{
    /// <summary>Return value of calls and of the program.</summary>
    R0, /// <summary>First argument; the context pointer on entry.</summary>
    R1, /// <summary>Second argument.</summary>
    R2, /// <summary>Third argument.</summary>
    R3, /// <summary>Fourth argument.</summary>
    R4, /// <summary>Fifth argument.</summary>
    R5, /// <summary>Callee-saved.</summary>
    R6, /// <summary>Callee-saved.</summary>
    R7, /// <summary>Callee-saved.</summary>
    R8, /// <summary>Callee-saved.</summary>
    R9, /// <summary>Frame pointer (read only); the stack is the 512 bytes below it.</summary>
    R10,
}
