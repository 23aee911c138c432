namespace DataPool.Server.Tests.Architecture;

/// <summary>
/// The server writes no SQL: every table family has its owner in DataPool.Core, and endpoints, commands and jobs call
/// those owners. A literal holding a SQL statement anywhere under src/DataPool.Server fails this test.
/// </summary>
public sealed class ServerWritesNoSqlTests
{
    [Test]
    public void No_file_of_the_server_holds_sql()
    {
        var server = Path.Combine(RepositoryRoot(), "src", "DataPool.Server");
        var files = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.That(files, Has.Count.GreaterThan(50), "the server's sources were found");

        var found = files.SelectMany(f => SqlText.Find(File.ReadAllText(f)).Select(s => $"{Path.GetRelativePath(server, f)}:{s.Line}: {s.Text}")).ToList();
        Assert.That(found, Is.Empty, "SQL belongs to the table's owner in DataPool.Core, not to the server");
    }

    [TestCase("var sql = \"SELECT id FROM dp_sources WHERE id = @id\";")]
    [TestCase("connection.Command($\"SELECT {Columns} FROM dp_runs\")")]
    [TestCase("connection.ExecuteAsync(@\"UPDATE dp_users SET disabled = 1\")")]
    [TestCase("var sql = \"\"\"\n    INSERT INTO dp_certificates (serial)\n    VALUES (@s)\n    \"\"\";")]
    [TestCase("var ddl = $\"\"\"\n    CREATE TABLE IF NOT EXISTS dp_x (id {dialect.AutoId});\n    \"\"\";")]
    [TestCase("Run(\"DELETE FROM dp_report_cells WHERE run_id = @id\");")]
    public void Sql_in_a_literal_is_found(string source) =>
        Assert.That(SqlText.Find(source), Is.Not.Empty);

    [TestCase("// SELECT id FROM dp_sources: the comment says what the owner reads")]
    [TestCase("/// <summary>Reads with one SELECT of every field FROM the table.</summary>")]
    [TestCase("/* INSERT INTO nothing */ var x = \"select a person from the list\";")]
    [TestCase("var quote = '\"'; var s = \"a DELETE button\";")]
    public void Prose_and_comments_are_not_sql(string source) =>
        Assert.That(SqlText.Find(source), Is.Empty);

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DataPool.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (DataPool.sln) was not found above the test directory");
    }
}
