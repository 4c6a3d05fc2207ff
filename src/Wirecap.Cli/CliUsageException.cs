namespace Wirecap.Cli;

/// <summary>A mistake on the command line: printed with the usage, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
