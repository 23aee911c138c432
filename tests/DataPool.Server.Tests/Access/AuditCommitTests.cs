using System.Net;
using DataPool.Core.Access;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Access;

/// <summary>
/// The audit log's group commit (<see cref="AccessLog"/>): concurrent reads share one transaction, and each read answers
/// only once that transaction has committed; when the commit fails, the read answers an error and shows nothing.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class AuditCommitTests(string store)
{
    private const int Concurrent = 40;

    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        await Query.QueryWorld.SeedAsync(_server);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private AccessLog Log => _server.Services.GetRequiredService<AccessLog>();

    [Test]
    public async Task Each_of_many_concurrent_reads_is_in_the_log_when_its_answer_arrives()
    {
        var client = await _server.ClientAsync(Roles.Admin);
        var ids = await FirstBulkIdsAsync(Concurrent);

        // More reads at once than the store has readers, so some wait for one and all are group-committed together.
        var missing = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await client.GetAsync($"/api/pool/person/{id}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            // Read the log the moment this answer arrived, before any other answer is awaited.
            var entries = await Log.ReadAsync([("person", id)], 10, default);
            return entries.Any(e => e.Viewer == "t-admin" && e.Purpose == "record") ? null : (long?)id;
        }));

        Assert.That(missing.OfType<long>(), Is.Empty, "reads answered before their audit entries were committed");
    }

    [Test]
    public async Task A_read_whose_audit_commit_fails_answers_an_error_and_shows_nothing()
    {
        var client = await _server.ClientAsync(Roles.Admin);
        var zhang = await Query.QueryWorld.PoolIdAsync(_server, "person", Query.QueryWorld.ZhangId);
        await RenameLogAsync("dp_access_log", "dp_access_log_away");
        try
        {
            using var failed = await client.GetAsync($"/api/pool/person/{zhang}");
            var body = await failed.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That((int)failed.StatusCode, Is.GreaterThanOrEqualTo(500), body);
                Assert.That(body, Does.Not.Contain(Query.QueryWorld.ZhangId).And.Not.Contain("张三"), "nothing of the record leaves unaudited");
            });
            using var page = await client.GetAsync($"/api/pool/person?community_code={Query.QueryWorld.BulkCommunity}&limit=5");
            Assert.That((int)page.StatusCode, Is.GreaterThanOrEqualTo(500), "a page whose audit fails shows nothing either");
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Not.Contain("居民"));
        }
        finally
        {
            await RenameLogAsync("dp_access_log_away", "dp_access_log");
        }

        using var after = await client.GetAsync($"/api/pool/person/{zhang}");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the writer recovers once the log is back");
        Assert.That((await Log.ReadAsync([("person", zhang)], 10, default)).Select(e => e.Viewer), Does.Contain("t-admin"));
    }

    private async Task<long[]> FirstBulkIdsAsync(int count)
    {
        await using var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        await using var command = connection.Command(
            "SELECT pool_id FROM pool_person WHERE community_code = @c ORDER BY pool_id LIMIT @n", null, ("@c", Query.QueryWorld.BulkCommunity), ("@n", count));
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids];
    }

    /// <summary>Takes the log table away (or puts it back), as a broken or full log would refuse the insert.</summary>
    private async Task RenameLogAsync(string from, string to)
    {
        await using var connection = await Log.OpenAsync();
        await connection.ExecuteAsync($"ALTER TABLE {from} RENAME TO {to}");
    }
}
