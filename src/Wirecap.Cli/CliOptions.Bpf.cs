namespace Wirecap.Cli;

/// <summary>The options about the filter program: tcpdump's -d/-dd/-ddd and a program file.</summary>
internal sealed partial class CliOptions
{
    /// <summary>Number of -d flags: 1 prints the program as tcpdump -d, 2 as -dd (C array), 3 or more as -ddd (decimal).</summary>
    public int DumpLevel { get; set; }

    /// <summary>--bpf-file FILE: the filter as a program in tcpdump -d/-dd/-ddd text, or (like tcpdump -F) an expression.</summary>
    public string? BpfFile { get; set; }

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] BpfTable =>
    [
        new("d", null, null, "print the filter program and exit (-dd: as a C array, -ddd: as decimal numbers)", (o, _) => o.DumpLevel++),
        new(null, "bpf-file", "FILE", "filter with the BPF program in FILE (tcpdump -d, -dd or -ddd text) or the expression in FILE",
            (o, v) => o.BpfFile = v),
    ];
}
