using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Tests.Store;

/// <summary>
/// On PostgreSQL a statement run again and again is prepared on its connection, unless the connection string says
/// otherwise: a re-sync's per-row statements and every lookup were parsed afresh on every run.
/// </summary>
public sealed class PostgresPreparedStatementTests
{
    [TestCase(null, true)]
    [TestCase("Max Auto Prepare=0", false)]
    [TestCase("Max Auto Prepare=20", true)]
    public async Task A_statement_run_again_and_again_is_prepared_unless_the_connection_string_turns_it_off(string? setting, bool prepared)
    {
        var connection = await DataPool.Testing.PostgresServer.CreateDatabaseAsync();
        var options = new StoreOptions { Provider = StoreOptions.Postgres, Connection = setting is null ? connection : $"{connection};{setting}" };
        await using var database = new PoolDatabase(options, SchemaCatalog.Load(SchemaCatalog.Locate()));
        await using var open = await database.OpenAsync();

        for (var run = 0; run < 10; run++)
        {
            await open.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = @name", null, default, ("@name", $"no_such_table_{run}"));
        }

        var kept = await open.ScalarAsync<long>("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM pg_class WHERE relname%'");
        Assert.That(kept > 0, Is.EqualTo(prepared));
        // Prepared, yet planned for its values each time: a generic plan made before a fresh table's statistics
        // turned each one-person lookup into a walk over a million rows.
        Assert.That(await open.ScalarAsync<string>("SHOW plan_cache_mode"), Is.EqualTo(prepared ? "force_custom_plan" : "auto"));
    }
}
