namespace Wirecap.Ebpf.Interop;

/// <summary>The <c>bpf(2)</c> commands this layer issues (<c>enum bpf_cmd</c> in <c>uapi/linux/bpf.h</c>).</summary>
internal enum BpfCommand
{
    MapCreate = 0,
    MapLookupElement = 1,
    MapUpdateElement = 2,
    ProgramLoad = 5,
    ProgramTestRun = 10,
    ObjectGetInfoByFd = 15,
    ProgramQuery = 16,
    RawTracepointOpen = 17,
    LinkCreate = 28,
    LinkDetach = 34,
}
