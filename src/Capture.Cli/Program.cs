using Capture.Cli;

return await CaptureCommand.RunAsync(args, Console.OpenStandardInput, Console.OpenStandardOutput, Console.Error);
