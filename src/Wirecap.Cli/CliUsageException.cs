namespace Wirecap.Cli;

/// <summary>A mistake on the command line (a bad value, options that cannot go together): exit code 2.</summary>
internal class CliUsageException(string message) : Exception(message);

/// <summary>An option the command does not know: tcpdump's short usage, exit code 1, as tcpdump does.</summary>
internal sealed class CliUnknownOptionException(string message) : CliUsageException(message);
