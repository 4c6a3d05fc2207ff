using System.Runtime.InteropServices;

namespace Wirecap.Ebpf.Interop;

// The members of `union bpf_attr` this layer fills, one struct per command, at the kernel's offsets.
// Each is passed with its own size; the kernel zero-extends a shorter attr, so older kernels that know
// fewer fields accept them as long as the fields they do not know are zero.

[StructLayout(LayoutKind.Explicit, Size = 72)]
internal unsafe struct MapCreateAttr
{
    [FieldOffset(0)] public uint MapType;
    [FieldOffset(4)] public uint KeySize;
    [FieldOffset(8)] public uint ValueSize;
    [FieldOffset(12)] public uint MaxEntries;
    [FieldOffset(16)] public uint MapFlags;
    [FieldOffset(28)] public fixed byte Name[16];
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct MapElementAttr
{
    [FieldOffset(0)] public uint MapFd;
    [FieldOffset(8)] public ulong Key;
    [FieldOffset(16)] public ulong Value;
    [FieldOffset(24)] public ulong Flags;
}

[StructLayout(LayoutKind.Explicit, Size = 144)]
internal unsafe struct ProgramLoadAttr
{
    [FieldOffset(0)] public uint ProgramType;
    [FieldOffset(4)] public uint InstructionCount;
    [FieldOffset(8)] public ulong Instructions;
    [FieldOffset(16)] public ulong License;
    [FieldOffset(24)] public uint LogLevel;
    [FieldOffset(28)] public uint LogSize;
    [FieldOffset(32)] public ulong LogBuffer;
    [FieldOffset(44)] public uint ProgramFlags;
    [FieldOffset(48)] public fixed byte Name[16];
    [FieldOffset(68)] public uint ExpectedAttachType;
    [FieldOffset(108)] public uint AttachBtfId;
    [FieldOffset(112)] public uint AttachBtfObjectFd;
    [FieldOffset(140)] public uint LogTrueSize;
}

[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct TestRunAttr
{
    [FieldOffset(0)] public uint ProgramFd;
    [FieldOffset(4)] public uint ReturnValue;
    [FieldOffset(8)] public uint DataSizeIn;
    [FieldOffset(12)] public uint DataSizeOut;
    [FieldOffset(16)] public ulong DataIn;
    [FieldOffset(24)] public ulong DataOut;
    [FieldOffset(32)] public uint Repeat;
    [FieldOffset(36)] public uint Duration;
    [FieldOffset(40)] public uint ContextSizeIn;
    [FieldOffset(44)] public uint ContextSizeOut;
    [FieldOffset(48)] public ulong ContextIn;
    [FieldOffset(56)] public ulong ContextOut;
    [FieldOffset(64)] public uint Flags;
    [FieldOffset(68)] public uint Cpu;
    [FieldOffset(72)] public uint BatchSize;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct ObjectInfoAttr
{
    [FieldOffset(0)] public uint Fd;
    [FieldOffset(4)] public uint InfoLength;
    [FieldOffset(8)] public ulong Info;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct RawTracepointOpenAttr
{
    [FieldOffset(0)] public ulong Name;
    [FieldOffset(8)] public uint ProgramFd;
    [FieldOffset(16)] public ulong Cookie;
}

[StructLayout(LayoutKind.Explicit, Size = 48)]
internal struct LinkCreateAttr
{
    [FieldOffset(0)] public uint ProgramFd;
    /// <summary>target_fd or target_ifindex.</summary>
    [FieldOffset(4)] public uint Target;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint Flags;
    /// <summary>tcx.relative_fd / tracing.target_btf_id.</summary>
    [FieldOffset(16)] public uint Relative;
    /// <summary>tcx.expected_revision / tracing.cookie.</summary>
    [FieldOffset(24)] public ulong Revision;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct LinkDetachAttr
{
    [FieldOffset(0)] public uint LinkFd;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct ProgramQueryAttr
{
    [FieldOffset(0)] public uint Target;
    [FieldOffset(4)] public uint AttachType;
    [FieldOffset(8)] public uint QueryFlags;
    [FieldOffset(12)] public uint AttachFlags;
    [FieldOffset(16)] public ulong ProgramIds;
    [FieldOffset(24)] public uint Count;
    [FieldOffset(32)] public ulong ProgramAttachFlags;
    [FieldOffset(40)] public ulong LinkIds;
    [FieldOffset(48)] public ulong LinkAttachFlags;
    [FieldOffset(56)] public ulong Revision;
}
