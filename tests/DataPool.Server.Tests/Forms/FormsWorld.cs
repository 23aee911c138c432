using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Forms;

/// <summary>
/// A running server over a small demo world's household register and civil affairs (generated like seeds/,
/// synced through the real pipeline), one per store, shared by the form, burden, gate, certificate and verification tests
/// of a run (in several namespaces: <see cref="FormsWorldTeardown"/> stops them once every test of the assembly ran).
/// Tests that change the pool use households of their own, so they do not disturb each other.
/// </summary>
public sealed class FormsWorld
{
    public const string CommunityA = ServerHost.Community;
    public const string CommunityB = "110101001002";

    private static readonly ConcurrentDictionary<string, Lazy<Task<ServerHost>>> Servers = new();

    public const int WorldPersons = 900;

    public static readonly string[] Sources = ["hukou/hukou.source.json", "civil-affairs/civil-affairs.source.json"];

    /// <param name="settings">Extra server settings; the first caller of a store decides them (one server per store and test assembly).</param>
    public static Task<ServerHost> ForAsync(string store, params string[] settings) =>
        Servers.GetOrAdd(store, s => new Lazy<Task<ServerHost>>(() => StartAsync(s, settings))).Value;

    public static async Task StopAll()
    {
        foreach (var server in Servers.Values.Where(l => l.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }

        Servers.Clear();
    }

    private static async Task<ServerHost> StartAsync(string store, string[] settings)
    {
        var server = await ServerHost.StartAsync(store, settings);
        var loader = server.Services.GetRequiredService<SourceDefinitionLoader>();
        var registry = server.Services.GetRequiredService<SourceRegistry>();
        var runner = server.Services.GetRequiredService<SyncRunner>();
        // The demo world at a small scale (one community, ~370 households): the same generator and definitions as seeds/.
        var seeds = Path.Combine(server.Folder, "world");
        DataPool.Demo.Seeding.DemoWorldGenerator.Generate(new DataPool.Demo.Seeding.DemoWorldOptions(WorldPersons, seeds));
        foreach (var file in Sources)
        {
            var source = loader.Load(Path.Combine(seeds, file));
            await registry.UpsertAsync(source);
            var result = await runner.RunAsync(source.Definition.Id);
            Assert.That(result.Succeeded, result.Error);
        }

        return server;
    }

    /// <summary>The n-th household (by number) of a community, for a test of its own.</summary>
    public static async Task<string> HouseholdAsync(ServerHost server, string community, int n)
    {
        await using var connection = await server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        var number = await connection.ScalarAsync<string>(
            "SELECT household_no FROM pool_household WHERE community_code = @c AND _deleted = 0 AND member_count >= 2 ORDER BY household_no LIMIT 1 OFFSET @n",
            null, default, ("@c", community), ("@n", n));
        return number ?? throw new AssertionException($"no household #{n} in {community}");
    }

    public static async Task<string?> ScalarAsync(ServerHost server, string sql, params (string, object?)[] parameters)
    {
        await using var connection = await StoreQueries.OpenAsync(server.Services, sql);
        var value = await connection.ScalarAsync<object>(sql, null, default, parameters);
        return value is null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
