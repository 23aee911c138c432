using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Identity;

/// <summary>The users and keys tables on PostgreSQL: the same SQL, the same behaviour.</summary>
[TestFixture]
public sealed class PostgresIdentityTests
{
    [Test]
    public async Task Users_keys_sign_in_and_revocation_work_on_postgres()
    {
        await using var server = await ServerHost.StartAsync(StoreOptions.Postgres);
        var admin = await server.ClientAsync(Roles.Admin, cookie: true);
        using (var created = await admin.PostAsJsonAsync("/api/users", new NewUser("pg-worker", null, Roles.Worker, "110101001001", null, "pg-password")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }

        var key = (await (await admin.PostAsync("/api/users/pg-worker/keys", null)).Content.ReadFromJsonAsync<NewApiKey>())!;
        var me = await server.WithKey(key.Key).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Community, Is.EqualTo("110101001001"));
        await server.LoginAsync("pg-worker", "pg-password");

        using (var forbidden = await server.WithKey(key.Key).GetAsync("/api/users"))
        {
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        using (var revoked = await admin.DeleteAsync($"/api/users/pg-worker/keys/{key.Prefix}"))
        {
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var after = await server.WithKey(key.Key).GetAsync("/api/auth/me");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
