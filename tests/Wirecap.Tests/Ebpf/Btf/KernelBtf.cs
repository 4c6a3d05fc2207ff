using NUnit.Framework;
using Wirecap.Ebpf.Btf;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>The running kernel's BTF and bpftool's view of it, for tests that compare the two.</summary>
internal static class KernelBtf
{
    private static readonly Lazy<string> s_rawDump = new(() => Tool.RunOk("bpftool", $"btf dump file {BtfTypes.VmlinuxPath}"));
    private static readonly Lazy<string> s_cDump = new(() => Tool.RunOk("bpftool", $"btf dump file {BtfTypes.VmlinuxPath} format c"));

    /// <summary>The kernel's BTF; skips (fails under CAPTURE_REQUIRE_PRIVILEGED=1) when the kernel publishes none.</summary>
    public static BtfTypes Require()
    {
        if (!File.Exists(BtfTypes.VmlinuxPath))
        {
            var reason = $"{BtfTypes.VmlinuxPath} is missing (kernel without CONFIG_DEBUG_INFO_BTF)";
            if (Privilege.Required) Assert.Fail(reason);
            Assert.Ignore(reason);
        }
        return BtfTypes.Vmlinux;
    }

    /// <summary><c>bpftool btf dump file vmlinux</c>: one line per type, indented lines for its members.</summary>
    public static string RawDump()
    {
        Tool.Require("bpftool");
        return s_rawDump.Value;
    }

    /// <summary><c>bpftool btf dump file vmlinux format c</c>: the kernel's types as a C header.</summary>
    public static string CDump()
    {
        Tool.Require("bpftool");
        return s_cDump.Value;
    }
}
