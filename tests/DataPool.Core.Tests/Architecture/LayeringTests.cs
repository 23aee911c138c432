using System.Text.RegularExpressions;

namespace DataPool.Core.Tests.Architecture;

/// <summary>
/// The rules that keep Core's rooms apart: store differences live in the store, Sync and Matching both stand on the
/// store and never on each other, entity tables are named through the schema catalog.
/// </summary>
public sealed class LayeringTests
{
    private const string Store = "src/DataPool.Core/Store/";

    /// <summary>A reference to a Core namespace: a using, a fully qualified name, or a name qualified from inside <c>DataPool.Core</c>.</summary>
    private static Regex Reference(string feature) => new($@"(using\s+DataPool\.Core\.{feature}\s*;|DataPool\.Core\.{feature}\.|(?<![\w.]){feature}\.[A-Z])");

    [Test]
    public void IsPostgres_appears_only_in_the_store()
    {
        var hits = SourceTree.Hits(SourceTree.Files("src").Concat(SourceTree.Files("connectors")).Where(f => !f.StartsWith(Store, StringComparison.Ordinal)),
            new Regex(@"\bIsPostgres\b"));

        Assert.That(hits, Is.Empty, "a store difference is a member of SqlDialect (or of the bulk writers), not a branch in a feature");
    }

    [Test]
    public void Matching_never_references_Sync()
    {
        var hits = SourceTree.Hits(SourceTree.Files("src/DataPool.Core/Matching"), Reference("Sync"));

        Assert.That(hits, Is.Empty, "Matching stands on the store (Store/Writing), never on Sync");
    }

    [Test]
    public void Sync_never_references_Matching()
    {
        var hits = SourceTree.Hits(SourceTree.Files("src/DataPool.Core/Sync"), Reference("Matching"));

        Assert.That(hits, Is.Empty, "Sync links rows through the store's EntityLinking, which Matching registers");
    }

    [Test]
    public void The_store_references_no_feature()
    {
        var features = new[] { "Sync", "Matching", "History", "Households", "Access", "Forms", "Reports" };
        var hits = features.SelectMany(f => SourceTree.Hits(SourceTree.Files(Store), Reference(f))).ToList();

        Assert.That(hits, Is.Empty, "features register with the store (initializers, after-run steps, linking); the store calls none of them");
    }

    [Test]
    public void Core_names_entity_tables_through_the_schema_catalog()
    {
        var entities = Directory.EnumerateFiles(Path.Combine(SourceTree.Root, "schemas", "pool"), "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.That(entities, Does.Contain("person"), "the entity files were found");
        var literal = new Regex($@"\bpool_({string.Join("|", entities)})\b|[\s.]_deleted\b");

        var hits = SourceTree.Hits(SourceTree.Files("src/DataPool.Core").Where(f => !f.StartsWith("src/DataPool.Core/Seeding/", StringComparison.Ordinal)), literal);

        Assert.That(hits, Is.Empty, "an entity's table and columns are named by EntityTables (TableName, Deleted, …)");
    }
}
