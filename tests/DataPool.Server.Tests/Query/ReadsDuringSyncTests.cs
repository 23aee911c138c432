using System.Data.Common;
using System.Diagnostics;
using System.Net;
using DataPool.Core.Access;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Query;

/// <summary>
/// Audited reads while a sync writes: on SQLite a sync holds pool.db's one write lock for its whole run, and the
/// audit entries a read writes before it answers used to queue behind it (36 s, then 500 after the 60 s busy timeout).
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class ReadsDuringSyncTests(string store)
{
    private const int ReadTimeoutSeconds = 3;
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(2);

    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store, $"--DataPool:Store:ReadTimeoutSeconds={ReadTimeoutSeconds}");
        await QueryWorld.SeedAsync(_server);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private AccessLog Log => _server.Services.GetRequiredService<AccessLog>();

    [Test]
    public async Task Audited_reads_answer_at_once_while_a_sync_holds_the_pool_write_lock()
    {
        var client = await _server.ClientAsync(Roles.Admin);
        var zhang = await QueryWorld.PoolIdAsync(_server, "person", QueryWorld.ZhangId);
        await using var sync = await HoldPoolWriteLockAsync(zhang);

        var clock = Stopwatch.StartNew();
        using var record = await client.GetAsync($"/api/pool/person/{zhang}");
        var recordTime = clock.Elapsed;
        Assert.That(record.StatusCode, Is.EqualTo(HttpStatusCode.OK), await record.Content.ReadAsStringAsync());
        clock.Restart();
        var page = await QueryWorld.JsonAsync(await client.GetAsync($"/api/pool/person?community_code={QueryWorld.BulkCommunity}&limit=50"));
        var pageTime = clock.Elapsed;

        var firstOfPage = page.GetProperty("items")[0].GetProperty(EntityTables.PoolId).GetInt64();
        var recordReads = await Log.ReadAsync([("person", zhang)], 10, default);
        var pageReads = await Log.ReadAsync([("person", firstOfPage)], 10, default);
        Assert.Multiple(() =>
        {
            Assert.That(recordTime, Is.LessThan(Quick), "the record answered while the sync held the lock");
            Assert.That(pageTime, Is.LessThan(Quick), "the page answered while the sync held the lock");
            Assert.That(recordReads.Select(e => e.Viewer), Does.Contain("t-admin"), "the record read is audited");
            Assert.That(pageReads.Select(e => e.Viewer), Does.Contain("t-admin"), "the page read is audited");
        });
    }

    [Test]
    public async Task A_read_whose_audit_cannot_be_written_in_time_answers_503_with_retry_after()
    {
        var client = await _server.ClientAsync(Roles.Admin);
        var zhang = await QueryWorld.PoolIdAsync(_server, "person", QueryWorld.ZhangId);
        await using (await HoldAccessLogAsync())
        {
            using var busy = await client.GetAsync($"/api/pool/person/{zhang}");
            Assert.That(busy.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await busy.Content.ReadAsStringAsync());
            Assert.That(busy.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(ReadTimeoutSeconds)));
            var problem = await ServerHost.ProblemAsync(busy);
            Assert.That(problem.Status, Is.EqualTo(503));
            Assert.That(problem.Detail, Does.Not.Contain(QueryWorld.ZhangId).And.Not.Contain("张三"), "nothing of the record leaves unaudited");
        }

        using var after = await client.GetAsync($"/api/pool/person/{zhang}");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "once the log is free, the same read answers");
    }

    /// <summary>
    /// What a sync holds: a write transaction on the pool (on SQLite BEGIN IMMEDIATE, the file's one write lock; on
    /// PostgreSQL the entity's advisory lock and the row lock of the record read).
    /// </summary>
    private async Task<HeldTransaction> HoldPoolWriteLockAsync(long poolId)
    {
        var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        if (store == StoreOptions.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('entity:person'))", transaction);
        }

        await connection.ExecuteAsync("UPDATE pool_person SET phone = phone WHERE pool_id = @id", transaction, default, ("@id", poolId));
        await connection.ExecuteAsync("INSERT INTO pool_person (id_number, name) VALUES ('110101200001010011', '新居民')", transaction);
        return new HeldTransaction(connection, transaction);
    }

    /// <summary>Something else holding the audit log: its file's write lock on SQLite, the table on PostgreSQL.</summary>
    private async Task<HeldTransaction> HoldAccessLogAsync()
    {
        var connection = await Log.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(store == StoreOptions.Postgres
                ? "LOCK TABLE dp_access_log IN ACCESS EXCLUSIVE MODE"
                : "INSERT INTO dp_access_log (at, viewer, role, entity, pool_id, fields, purpose) VALUES ('2020-01-01T00:00:00Z', 'x', 'admin', 'person', 0, 'name', 'test')",
            transaction);
        return new HeldTransaction(connection, transaction);
    }

    /// <summary>A transaction held open until disposed, then rolled back.</summary>
    private sealed class HeldTransaction(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
