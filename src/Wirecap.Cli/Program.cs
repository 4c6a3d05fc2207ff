using Wirecap.Cli;

return await CaptureCommand.RunAsync(args, Console.OpenStandardInput, Console.OpenStandardOutput, Console.Error);
