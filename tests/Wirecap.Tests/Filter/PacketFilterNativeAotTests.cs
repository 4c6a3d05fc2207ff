using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Under NativeAOT no code can be generated: a program published that way runs <see cref="PacketFilter"/> in the
/// interpreter, and keeps the same packets the IL-compiled filter keeps here.
/// </summary>
[TestFixture]
public class PacketFilterNativeAotTests : TempDirectoryFixture
{
    private static readonly string[] Expressions = ["udp", "tcp and not port 22", "ip6 or arp"];

    private const string Probe = """
        using Wirecap.Filter;
        using Wirecap.Formats;
        foreach (var expression in args[1..])
        {
            using var reader = CaptureReader.Open(args[0]);
            PacketFilter? filter = null;
            var verdicts = new List<uint>();
            while (reader.Read())
            {
                filter ??= PacketFilter.Create(expression, reader.Current.LinkType);
                verdicts.Add(filter.Run(reader.Current.Data, reader.Current.OriginalLength));
            }
            Console.WriteLine($"{filter?.Engine} {string.Join(' ', verdicts)}");
        }
        """;

    [Test]
    public void A_native_aot_program_interprets_and_keeps_what_the_compiled_filter_keeps()
    {
        string project = Path.Combine(CliRunner.RepositoryRoot, "src", "Wirecap", "Wirecap.csproj");
        File.WriteAllText(Path.Combine(TempDir, "Program.cs"), Probe);
        File.WriteAllText(Path.Combine(TempDir, "AotProbe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <PublishAot>true</PublishAot>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{project}" />
              </ItemGroup>
            </Project>
            """);
        string output = Path.Combine(TempDir, "out");
        // Built under the temporary directory (artifacts layout), so the repository's own obj and bin stay as they are.
        var publish = Tool.Run("dotnet", $"publish \"{Path.Combine(TempDir, "AotProbe.csproj")}\" -c Release -r linux-x64 -o \"{output}\" " +
            $"-p:UseArtifactsOutput=true -p:ArtifactsPath=\"{Path.Combine(TempDir, "artifacts")}\"", timeoutMs: 900_000);
        Assert.That(publish.ExitCode, Is.Zero, publish.StdOut + publish.StdErr);

        var run = Tool.Run(Path.Combine(output, "AotProbe"), $"\"{CliRunner.SamplePath}\" {string.Join(' ', Expressions.Select(e => $"\"{e}\""))}");
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(Expressions.Length));
        for (int i = 0; i < Expressions.Length; i++)
        {
            var expected = Verdicts(Expressions[i], out var engine);
            Assert.That(engine, Is.EqualTo(PacketFilterEngine.Compiled), "here the filter is compiled");
            Assert.That(lines[i], Is.EqualTo($"{PacketFilterEngine.Interpreter} {string.Join(' ', expected)}"), Expressions[i]);
            Assert.That(expected, Has.Some.Not.Zero, $"'{Expressions[i]}' keeps some packets of the sample");
            Assert.That(expected, Has.Some.Zero, $"'{Expressions[i]}' drops some packets of the sample");
        }
    }

    private static List<uint> Verdicts(string expression, out PacketFilterEngine engine)
    {
        using var reader = CaptureReader.Open(CliRunner.SamplePath);
        PacketFilter? filter = null;
        var verdicts = new List<uint>();
        while (reader.Read())
        {
            filter ??= PacketFilter.Create(expression, reader.Current.LinkType);
            verdicts.Add(filter.Run(reader.Current.Data, reader.Current.OriginalLength));
        }
        engine = filter!.Engine;
        return verdicts;
    }
}
