using System.Diagnostics;
using NUnit.Framework;
using Wirecap.Cli;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: Wirecap and Wirecap.Cli are packed into a local folder feed, a
/// consumer app that also names System.Text.RegularExpressions.Capture (the type our old root namespace
/// hid, CS0118) is published from it with NativeAOT and warnings as errors and run, and the tool is
/// installed from the feed and run: the NativeAOT package for this machine's RID, with the framework-dependent
/// 'any' package as every other platform's fallback. On x64 the linux-arm64 package is cross-compiled too and run
/// under qemu (PackageConsumerTests.Arm64.cs). Packages come from the feed plus the machine's usual NuGet sources,
/// into the shared packages folder (so the AOT compiler is downloaded once); the packed version is
/// unique to the run, so no cached build of an earlier run stands in for this one.
/// </summary>
[TestFixture]
public sealed partial class PackageConsumerTests
{
    private string _work = "";
    private string _feed = "";
    private string _version = "";
    private string[] _nativeRids = [];

    [OneTimeSetUp]
    public void PackIntoALocalFeed()
    {
        _work = Directory.CreateTempSubdirectory("capture-consumer-").FullName;
        _feed = Path.Combine(_work, "feed");
        _version = $"{typeof(CaptureCommand).Assembly.GetName().Version!.ToString(3)}-consumer.{Guid.NewGuid():N}";
        // As CI builds it (.ci/run sets CI=true): a ContinuousIntegrationBuild, whose paths name no machine. Built anew,
        // since an incremental build does not recompile for that alone.
        string library = Repository.Path("src/Wirecap/Wirecap.csproj");
        DotNet($"build \"{library}\" -c Release --no-incremental", _work, ci: true);
        DotNet($"pack \"{library}\" -c Release --no-build -o \"{_feed}\" -p:PackageVersion={_version}", _work, ci: true);
        // The tool as ./build.sh pack makes it: a pointer package naming every RID, a NativeAOT package for each RID
        // this machine builds (linux-arm64 cross-compiled on linux-x64) and the framework-dependent fallback.
        _nativeRids = NativeRidsBuiltHere(out _crossCompileSkipped);
        string tool = Repository.Path("src/Wirecap.Cli/Wirecap.Cli.csproj");
        string rids = $"-p:ToolPackageRuntimeIdentifiers=\\\"{string.Join(';', PointerRids)}\\\"";
        DotNet($"pack \"{tool}\" -c Release -o \"{_feed}\" -p:PackageVersion={_version} {rids}", _work);
        foreach (string rid in PointerRids)
            DotNet($"pack \"{tool}\" -c Release -r {rid} -o \"{_feed}\" -p:PackageVersion={_version} {rids}", _work);
        Assert.That(Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"Wirecap.{_version}.nupkg", $"Wirecap.Cli.{_version}.nupkg",
        }.Concat(PointerRids.Select(rid => $"Wirecap.Cli.{rid}.{_version}.nupkg"))));
    }

    /// <summary>The RIDs of the NativeAOT packages, then 'any': what the pointer package names.</summary>
    private IEnumerable<string> PointerRids => _nativeRids.Append("any");

    private static string HostRid => System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;

    [OneTimeTearDown]
    public void RemoveFeedAndCachedPackages()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
        if (_version.Length == 0) return;
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "wirecap", "wirecap.cli" })
        {
            string cached = Path.Combine(packages, id, _version.ToLowerInvariant());
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
        }
    }

    [Test]
    public void A_NativeAot_app_naming_Regex_Capture_builds_from_the_package_and_filters_the_sample()
    {
        if (!Tool.Exists("clang")) Tool.Require("gcc"); // NativeAOT links with clang, or gcc where clang is missing
        string app = CreateConsumer("Consumer");
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Text.RegularExpressions;
            using Wirecap;
            using Wirecap.Bpf;
            using Wirecap.Filter;
            using Wirecap.Formats;

            // Regex's Capture type, named next to every Wirecap namespace: this must compile.
            Match match = Regex.Match(args[1], "^filter=(.+)$");
            Capture capture = match.Groups[1].Captures[0];
            string expression = capture.Value;

            int total = 0, matched = 0;
            PacketFilter? filter = null;
            using (var reader = CaptureReader.Open(args[0]))
            {
                while (reader.Read())
                {
                    var packet = reader.Current;
                    filter ??= PacketFilter.Create(expression, packet.LinkType);
                    total++;
                    if (filter.Matches(packet.Data, packet.OriginalLength)) matched++;
                }
            }
            // No code can be generated under NativeAOT: the filter must say it interprets.
            Console.WriteLine($"{filter?.Engine}: {matched} of {total} packets match '{expression}'");
            """);

        string output = Path.Combine(app, "out");
        DotNet($"publish -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=true -o \"{output}\"", app);
        string binary = Path.Combine(output, "Consumer");
        Assert.That(File.Exists(Path.Combine(output, "Consumer.dll")), Is.False, "a NativeAOT publish leaves no IL assembly to run");

        const string expression = "udp";
        var (code, stdout, stderr) = Tool.Run(binary, $"\"{Repository.SamplePath}\" filter={expression}");
        Assert.That(code, Is.Zero, stderr);
        var (matched, total) = CountInProcess(Repository.SamplePath, expression);
        Assert.That(matched, Is.GreaterThan(0).And.LessThan(total), "the filter must keep some packets of the sample and drop others");
        Assert.That(stdout.Trim(), Is.EqualTo($"{PacketFilterEngine.Interpreter}: {matched} of {total} packets match '{expression}'"));
    }

    [Test]
    public void The_tool_installs_from_the_feed_and_prints_the_sample()
    {
        string tools = Path.Combine(_work, "tools");
        DotNet($"tool install Wirecap.Cli --tool-path \"{tools}\" --add-source \"{_feed}\" --version {_version}", _work);
        string wirecap = Path.Combine(tools, "wirecap");
        var utc = new Dictionary<string, string?> { ["TZ"] = "UTC" };

        // dotnet tool install picked this RID's package: a native binary, no IL beside it, filters interpreted.
        string binary = new FileInfo(wirecap).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? wirecap;
        Assert.That(binary, Does.Contain($"wirecap.cli.{HostRid}"), "the RID-specific package, not the fallback");
        Assert.That(File.ReadAllBytes(binary).AsSpan(0, 4).ToArray(), Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "Wirecap.Cli.dll")), Is.False);
        var version = Tool.Run(wirecap, "--version", environment: utc);
        Assert.That(version.ExitCode, Is.Zero, version.StdErr);
        string inProcessVersion = CliRunner.Run(["--version"]).StdOut;
        Assert.That(version.StdOut, Is.EqualTo(inProcessVersion.Replace("compiled (IL)", "interpreter (NativeAOT)")));

        var printed = Tool.Run(wirecap, $"-n -r \"{Repository.SamplePath}\"", environment: utc);
        Assert.That(printed.ExitCode, Is.Zero, printed.StdErr);
        var inProcess = CliRunner.Run(["-n", "-r", Repository.SamplePath]);
        Assert.That(printed.StdOut, Is.EqualTo(inProcess.StdOut));
        Assert.That(printed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(20));
    }

    [Test]
    public void The_pointer_package_falls_back_to_a_framework_dependent_tool_that_compiles_filters()
    {
        using (var pointer = System.IO.Compression.ZipFile.OpenRead(Path.Combine(_feed, $"Wirecap.Cli.{_version}.nupkg")))
        {
            var settings = System.Xml.Linq.XDocument.Load(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
            Assert.That(settings.Descendants("RuntimeIdentifierPackage").Select(p => (string?)p.Attribute("RuntimeIdentifier")),
                Is.EqualTo(PointerRids), "each native RID gets its package, other platforms the 'any' package");
            if (HostRid == "linux-x64" && _crossCompileSkipped is null)
                Assert.That(PointerRids, Is.EqualTo(new[] { "linux-x64", "linux-arm64", "any" }), "an x64 machine packs both Linux RIDs");
        }
        string unpacked = Path.Combine(_work, "any");
        System.IO.Compression.ZipFile.ExtractToDirectory(Path.Combine(_feed, $"Wirecap.Cli.any.{_version}.nupkg"), unpacked);
        string dll = Path.Combine(unpacked, "tools", "net10.0", "any", "Wirecap.Cli.dll");
        var utc = new Dictionary<string, string?> { ["TZ"] = "UTC" };

        var version = Tool.Run("dotnet", $"\"{dll}\" --version", environment: utc);
        Assert.That(version.ExitCode, Is.Zero, version.StdErr);
        Assert.That(version.StdOut, Does.Contain("filter engine: compiled (IL)"));
        var printed = Tool.Run("dotnet", $"\"{dll}\" -n -r \"{Repository.SamplePath}\" udp", environment: utc);
        Assert.That(printed.ExitCode, Is.Zero, printed.StdErr);
        Assert.That(printed.StdOut, Is.EqualTo(CliRunner.Run(["-n", "-r", Repository.SamplePath, "udp"]).StdOut));
    }

    /// <summary>A console project in <c>_work/NAME</c> that takes Wirecap from the local feed (its Program.cs is the caller's).</summary>
    private string CreateConsumer(string name)
    {
        string app = Path.Combine(_work, name);
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="wirecap-local-feed" value="{_feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Wirecap" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        return app;
    }

    [Test]
    public void A_caller_that_might_run_elsewhere_is_warned_of_the_Linux_only_API()
    {
        // No [SupportedOSPlatform("linux")] in this consumer: each call into the Linux-only API is CA1416, and the
        // portable API beside it (files, filters) is not.
        string app = CreateConsumer("Portable");
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Wirecap.Filter;
            using Wirecap.Formats;
            using Wirecap.Linux;

            using (var reader = CaptureReader.Open(args[0]))
                while (reader.Read()) { }
            _ = PacketFilter.Create("udp", Wirecap.LinkType.Ethernet);
            using var capture = PacketCapture.Open(new PacketCaptureOptions { Interface = "lo" });
            using var tc = Wirecap.Linux.Tc.TcCapture.Open(new Wirecap.Linux.Tc.TcCaptureOptions { Interface = "lo" });
            Console.WriteLine(CaptureDevices.List().Count);
            """);
        var (code, stdout, stderr) = DotNetResult("build -c Release", app);
        Assert.That(code, Is.Zero, stdout + stderr);
        var warnings = (stdout + stderr).Split('\n').Where(l => l.Contains("warning CA1416")).Select(l => l.Trim()).Distinct().ToList();
        foreach (var call in new[] { "PacketCapture.Open", "TcCapture.Open", "CaptureDevices.List" })
            Assert.That(warnings.Where(w => w.Contains(call) && w.Contains("only supported on: 'linux'")), Is.Not.Empty, $"{call}:\n" + string.Join("\n", warnings));
        Assert.That(warnings, Has.None.Contains("CaptureReader").And.None.Contains("PacketFilter"), "the portable API carries no platform");
    }

    [Test]
    public void Every_package_carries_the_licence_and_a_readme_that_starts_with_its_install_line()
    {
        string licence = File.ReadAllText(Repository.Path("LICENSE"));
        Assert.That(licence, Does.StartWith("MIT License"));
        string commit = Tool.RunOk("git", $"-C \"{Repository.Root}\" rev-parse HEAD").Trim();
        var packages = Directory.GetFiles(_feed, "*.nupkg");
        Assert.That(packages, Has.Length.EqualTo(2 + PointerRids.Count()));
        foreach (var path in packages)
        {
            string name = Path.GetFileName(path);
            using var package = System.IO.Compression.ZipFile.OpenRead(path);
            string Text(string entry)
            {
                using var reader = new StreamReader((package.GetEntry(entry) ?? throw new AssertionException($"{name} has no {entry}")).Open());
                return reader.ReadToEnd();
            }
            Assert.That(Text("LICENSE"), Is.EqualTo(licence), name);
            string install = name.StartsWith("Wirecap.Cli", StringComparison.Ordinal) ? "dotnet tool install --global Wirecap.Cli" : "dotnet add package Wirecap";
            Assert.That(Text("README.md").Split('\n').Where(l => l.Length > 0 && !l.StartsWith("```", StringComparison.Ordinal)).First(), Is.EqualTo(install), name);
            var nuspec = System.Xml.Linq.XDocument.Parse(Text(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName));
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Element(string local) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == local)?.Value;
            Assert.That(Element("license"), Is.EqualTo("MIT"), name);
            Assert.That(Element("readme"), Is.EqualTo("README.md"), name);
            // SourceLink: the commit the package was built from (the repository URL joins it once there is a remote).
            var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.That(((string?)repository.Attribute("type"), (string?)repository.Attribute("commit")), Is.EqualTo(("git", commit)), name);
        }
    }

    [Test]
    public void Once_the_repository_has_a_remote_SourceLink_maps_the_sources_to_it()
    {
        // A clone of this commit with a GitHub remote: the source link file the compiler embeds in the PDB points every
        // source at that commit's raw files. Built as CI builds (whether or not CI is set here), so the source root is the
        // deterministic /_/ that the PDB records.
        string clone = Path.Combine(_work, "clone");
        Tool.RunOk("git", $"clone -q --local \"{Repository.Root}\" \"{clone}\"");
        Tool.RunOk("git", $"-C \"{clone}\" remote set-url origin https://github.com/example/wirecap.git");
        string commit = Tool.RunOk("git", $"-C \"{clone}\" rev-parse HEAD").Trim();
        string project = Path.Combine(clone, "src", "Wirecap", "Wirecap.csproj");
        DotNet($"restore \"{project}\"", clone);
        Directory.CreateDirectory(Path.Combine(clone, "src", "Wirecap", "obj", "Release", "net10.0"));
        DotNet($"msbuild \"{project}\" -p:TargetFramework=net10.0 -p:Configuration=Release -p:ContinuousIntegrationBuild=true \"-t:InitializeSourceControlInformation;GenerateSourceLinkFile\"", clone);
        string json = File.ReadAllText(Path.Combine(clone, "src", "Wirecap", "obj", "Release", "net10.0", "Wirecap.sourcelink.json"));
        using var map = System.Text.Json.JsonDocument.Parse(json);
        var documents = map.RootElement.GetProperty("documents").EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
        Assert.That(documents, Is.EqualTo(new[] { ("/_/*", $"https://raw.githubusercontent.com/example/wirecap/{commit}/*") }));
    }

    [Test]
    public void The_library_package_is_validated_when_packed()
    {
        // Package validation (API compatibility across the package's frameworks) runs in every pack of the library. The
        // SDK turns it off for tool packages, which provide no API (Microsoft.NET.PackTool.targets).
        var (code, stdout, stderr) = DotNetResult($"msbuild \"{Repository.Path("src/Wirecap/Wirecap.csproj")}\" -getProperty:EnablePackageValidation", _work);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("true"), "EnablePackageValidation");
    }

    [Test]
    public void The_library_symbols_are_portable_pdbs_of_a_ci_build_in_a_snupkg_beside_the_package()
    {
        using var symbols = System.IO.Compression.ZipFile.OpenRead(Path.Combine(_feed, $"Wirecap.{_version}.snupkg"));
        var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
        Assert.That(pdbs.Select(e => e.FullName), Is.EquivalentTo(new[] { "lib/net8.0/Wirecap.pdb", "lib/net10.0/Wirecap.pdb" }));
        foreach (var pdb in pdbs)
        {
            using var stream = new MemoryStream();
            using (var entry = pdb.Open()) entry.CopyTo(stream);
            stream.Position = 0;
            Assert.That(stream.GetBuffer().AsSpan(0, 4).ToArray(), Is.EqualTo("BSJB"u8.ToArray()), $"{pdb.FullName} is a portable PDB (ECMA-335 metadata)");
            // A ContinuousIntegrationBuild maps the source root to /_/, so the same commit gives the same bytes anywhere.
            using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(stream, System.Reflection.Metadata.MetadataStreamOptions.LeaveOpen);
            var reader = provider.GetMetadataReader();
            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
            Assert.That(documents, Has.Some.EndsWith("/Wirecap/Filter/PacketFilter.cs"), pdb.FullName);
            Assert.That(documents.Where(d => !d.StartsWith("/_/", StringComparison.Ordinal) && !d.StartsWith("/tmp/", StringComparison.Ordinal)), Is.Empty,
                $"{pdb.FullName}: every source under /_/ (generated files under the temp folder aside)");
        }
    }

    private static (int Matched, int Total) CountInProcess(string path, string expression)
    {
        int total = 0, matched = 0;
        PacketFilter? filter = null;
        using var reader = CaptureReader.Open(path);
        while (reader.Read())
        {
            var packet = reader.Current;
            filter ??= PacketFilter.Create(expression, packet.LinkType);
            total++;
            if (filter.Matches(packet.Data, packet.OriginalLength)) matched++;
        }
        Assert.That(filter?.Engine, Is.EqualTo(PacketFilterEngine.Compiled), "in this process the filter is compiled");
        return (matched, total);
    }

    /// <summary>
    /// Runs the dotnet CLI as a user would (<see cref="DotNetResult"/>) and fails the test when it fails. A registry
    /// that cannot be reached skips the test, except where CI requires it to run.
    /// </summary>
    private static void DotNet(string arguments, string workingDirectory, bool ci = false)
    {
        var (code, stdout, stderr) = DotNetResult(arguments, workingDirectory, ci);
        if (code == 0) return;
        string log = stdout + stderr;
        if (log.Contains("NU1301", StringComparison.Ordinal) && !Privilege.Required)
            Assert.Ignore($"a NuGet source cannot be reached (offline?), so the packages cannot be tried: {log}");
        Assert.Fail($"dotnet {arguments} exited {code}:\n{log}");
    }

    /// <summary>Runs the dotnet CLI with none of the test host's MSBuild variables and no build servers left behind.</summary>
    private static (int ExitCode, string StdOut, string StdErr) DotNetResult(string arguments, string workingDirectory, bool ci = false)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1", ["UseSharedCompilation"] = "false",
        };
        foreach (string name in Environment.GetEnvironmentVariables().Keys)
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE")
                environment[name] = null;
        if (ci) environment["CI"] = "true";
        var clock = Stopwatch.StartNew();
        var result = Tool.Run("dotnet", arguments, timeoutMs: 900_000, workingDirectory: workingDirectory, environment: environment);
        TestContext.Progress.WriteLine($"PackageConsumerTests: dotnet {arguments.Split(' ')[0]} exited {result.ExitCode} after {clock.Elapsed.TotalSeconds:F0} s");
        return result;
    }
}
