using System.Runtime.InteropServices;

namespace Wirecap.Tests.Infrastructure;

/// <summary>Runs code on a new thread that has joined a named network namespace (setns), so the sockets it makes belong there.</summary>
public static partial class NetnsThread
{
    public static T Run<T>(string ns, Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle($"/run/netns/{ns}"))
                    if (SetNs((int)handle.DangerousGetHandle(), 0x40000000 /* CLONE_NEWNET */) != 0)
                        throw new InvalidOperationException($"setns({ns}) failed: errno {Marshal.GetLastPInvokeError()}");
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
