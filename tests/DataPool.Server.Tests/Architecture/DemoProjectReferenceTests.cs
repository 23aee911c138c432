using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace DataPool.Server.Tests.Architecture;

/// <summary>
/// The demo world (src/DataPool.Demo: the generator, the legacy-system simulator) ships with the executable only:
/// no production project but the server references it, so Core and the connectors never depend on demo code.
/// </summary>
public class DemoProjectReferenceTests
{
    private const string Demo = "DataPool.Demo";
    private const string Server = "src/DataPool.Server/DataPool.Server.csproj";

    [Test]
    public void Only_the_server_and_the_tests_reference_the_demo_project()
    {
        var root = Workspace.RepoRoot();
        var referencing = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(root, file))
            .Where(file => ProjectReferences(file).Any(reference => Path.GetFileNameWithoutExtension(reference) == Demo))
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(referencing, Does.Contain(Server), "the executable runs the demo and seed verbs");
        Assert.That(referencing.Where(file => file != Server && !file.StartsWith("tests/", StringComparison.Ordinal)), Is.Empty,
            "only the executable (and tests) may reference the demo project");
    }

    [Test]
    public void No_production_assembly_but_the_server_references_the_demo_assembly()
    {
        var binaries = Directory.EnumerateFiles(TestContext.CurrentContext.TestDirectory, "*.dll")
            .Select(file => (Name: Path.GetFileNameWithoutExtension(file), References: AssemblyReferences(file)))
            .ToDictionary(a => a.Name, a => a.References, StringComparer.OrdinalIgnoreCase);

        Assert.That(binaries["datapool"], Does.Contain(Demo), "the server's assembly (datapool) is where the demo is wired in");
        Assert.That(binaries, Does.ContainKey("DataPool.Core"));
        var production = binaries.Where(a => a.Key.StartsWith("DataPool.", StringComparison.Ordinal)
            && a.Key != Demo && !a.Key.EndsWith(".Tests", StringComparison.Ordinal));
        Assert.That(production.Where(a => a.Value.Contains(Demo)).Select(a => a.Key), Is.Empty,
            "Core, the connector SDK and the connectors must not reference DataPool.Demo");
    }

    private static bool IsBuildOutput(string root, string file) =>
        Path.GetRelativePath(root, file).Replace('\\', '/').Split('/') is var parts && parts.Any(p => p is "bin" or "obj");

    private static IEnumerable<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(element => (string?)element.Attribute("Include") ?? "")
            .Select(include => include.Replace('\\', '/'));

    private static List<string> AssemblyReferences(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        if (!pe.HasMetadata)
        {
            return [];
        }

        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToList();
    }
}
