using DataPool.Server.Identity;

namespace DataPool.Server.Tests;

/// <summary>
/// The preamble the API tests of sources, sync and matching share: a fresh server per test (on the fixture's store, with
/// the given settings) and an administrator's client, the server disposed after the test. A derived fixture's own
/// <c>[SetUp]</c> runs after this one, on the started server.
/// </summary>
public abstract class AdminServerTests(string store, params string[] settings)
{
    protected ServerHost Server { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        Server = await ServerHost.StartAsync(store, settings);
        Admin = await Server.ClientAsync(Roles.Admin);
    }

    [TearDown]
    public async Task StopServerAsync() => await Server.DisposeAsync();
}
