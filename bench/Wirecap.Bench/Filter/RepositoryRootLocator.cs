namespace Wirecap.Bench;

/// <summary>Finds the checkout (the directory holding Capture.sln) from the current or binary directory.</summary>
internal static class RepositoryRootLocator
{
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Capture.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Capture.sln not found");
    }
}
