using NUnit.Framework;

using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Infrastructure;

/// <summary>A fixture whose every test gets its own empty directory, removed afterwards with everything in it.</summary>
public abstract class TempDirectoryFixture
{
    /// <summary>The current test's directory.</summary>
    protected string TempDir { get; private set; } = "";

    [SetUp]
    public void CreateTempDir()
    {
        TempDir = Directory.CreateTempSubdirectory($"capture-{GetType().Name}-").FullName;
    }

    [TearDown]
    public void DeleteTempDir()
    {
        if (Directory.Exists(TempDir)) Directory.Delete(TempDir, recursive: true);
    }
}
