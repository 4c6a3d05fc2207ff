using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Wirecap.Nats;

/// <summary>Repeats a JetStream API call while the cluster cannot answer it yet (a node down, a leader being elected),
/// until a deadline: the same patience the sink has with publishes, for the management calls around them.</summary>
internal static class JetStreamRetry
{
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(200);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(Wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>No answer, no responder, or JetStream saying it is not available for now (503).</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        NatsJSApiException api => api.Error.Code == 503,
        NatsJSApiNoResponseException or NatsNoRespondersException or NatsNoReplyException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
