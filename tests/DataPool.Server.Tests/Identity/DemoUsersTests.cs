using System.Net.Http.Json;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>The demo users (README, "Demo users"): seeded once, sign in with the documented demo password.</summary>
[TestFixture]
public sealed class DemoUsersTests
{
    [Test]
    public async Task The_demo_users_are_the_documented_ones_and_valid()
    {
        await using var server = await ServerHost.StartAsync();
        var grants = server.Services.GetRequiredService<DataPool.Core.Access.AccessGrants>();
        var users = DemoUsers.All(DemoUsers.DefaultPassword);

        Assert.That(users.Select(u => (u.Name, u.Role, u.Community ?? u.Department)), Is.EqualTo(new[]
        {
            ("admin", "admin", (string?)null),
            ("worker-001", "worker", "110101001001"),
            ("worker-002", "worker", "110101001002"),
            ("worker-003", "worker", "110101001003"),
            ("analyst-civil-affairs", "analyst", "civil-affairs"),
            ("analyst-disabled-persons-federation", "analyst", "disabled-persons-federation"),
            ("analyst-human-resources", "analyst", "human-resources"),
            ("analyst-health-commission", "analyst", "health-commission"),
            ("analyst-veterans-affairs", "analyst", "veterans-affairs"),
        }));
        Assert.That(users.Select(u => u.Validate(grants)), Has.All.Empty);
    }

    [Test]
    public async Task Seeding_is_idempotent_and_the_admin_signs_in_with_the_demo_password()
    {
        await using var server = await ServerHost.StartAsync();
        var users = DemoUsers.All(DemoUsers.DefaultPassword);

        Assert.That(await DemoUsers.SeedAsync(server.Users, users, CancellationToken.None), Is.EqualTo(9));
        Assert.That(await DemoUsers.SeedAsync(server.Users, users, CancellationToken.None), Is.EqualTo(0));

        var me = await (await server.LoginAsync("admin", DemoUsers.DefaultPassword)).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Role, Is.EqualTo(Roles.Admin));
        var worker = await (await server.LoginAsync("worker-002", DemoUsers.DefaultPassword)).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(worker!.Community, Is.EqualTo("110101001002"));
    }
}
