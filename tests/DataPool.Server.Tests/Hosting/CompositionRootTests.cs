using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Hosting;
using DataPool.Server.Identity;
using DataPool.Server.Sources;
using DataPool.Server.Verification;
using DataPool.Server.WebUi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Tests.Hosting;

/// <summary>
/// One composition root (<see cref="DataPoolSetup.AddDataPool"/>) for the server, the command line and the test hosts:
/// the command line's flags are configuration, and options are validated before anything touches a store.
/// </summary>
[TestFixture]
public sealed class CompositionRootTests
{
    [Test]
    public void The_store_is_bound_from_the_keys_the_environment_and_the_flags_set()
    {
        using var provider = Composition.Of(new()
        {
            ["DataPool:Store:Provider"] = "Postgres",
            ["ConnectionStrings:Pool"] = "Host=db;Database=pool",
            ["DataPool:Data"] = "elsewhere",
            ["DataPool:Store:ReadTimeoutSeconds"] = "3",
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var store = provider.GetRequiredService<StoreOptions>();
        Assert.Multiple(() =>
        {
            Assert.That(store.Provider, Is.EqualTo(StoreOptions.Postgres));
            Assert.That(store.Connection, Is.EqualTo("Host=db;Database=pool"));
            Assert.That(store.DataDirectory, Is.EqualTo("elsewhere"));
            Assert.That(store.ReadTimeoutSeconds, Is.EqualTo(3));
        });
    }

    [TestCase("DataPool:Store:ReadTimeoutSeconds", "0", "ReadTimeoutSeconds")]
    [TestCase("DataPool:Store:Provider", "oracle", "Provider")]
    [TestCase("DataPool:Scheduling:PollIntervalSeconds", "0", "PollIntervalSeconds")]
    [TestCase("DataPool:Burden:SecondsPerEntry", "0", "SecondsPerEntry")]
    [TestCase("DataPool:RateLimits:LoginPerMinute", "0", "DataPool:RateLimits:LoginPerMinute must be at least 1")]
    [TestCase("DataPool:RateLimits:FailedKeysPerMinute", "-3", "DataPool:RateLimits:FailedKeysPerMinute must be at least 1")]
    [TestCase("DataPool:RateLimits:LockoutFailures", "0", "DataPool:RateLimits:LockoutFailures must be at least 1")]
    [TestCase("DataPool:RateLimits:LockoutMinutes", "0", "DataPool:RateLimits:LockoutMinutes must be more than 0")]
    [TestCase("DataPool:Verify:PerUserPerMinute", "0", "DataPool:Verify:PerUserPerMinute must be at least 1")]
    [TestCase("DataPool:Verify:SerialChecksPerMinute", "0", "DataPool:Verify:SerialChecksPerMinute must be at least 1")]
    [TestCase("DataPool:WebRoot", "no-such-folder-of-pages", "DataPool:WebRoot must name an existing folder")]
    [TestCase("DataPool:Scheduling:TimeZone", "Mars/Olympus_Mons", "DataPool:Scheduling:TimeZone must be a time zone this machine knows")]
    [TestCase("DataPool:Text:ControlCharacters", "keep", "DataPool:Text:ControlCharacters must be strip or reject")]
    [TestCase("DataPool:Matching:Blocking", "shoe_size", "DataPool:Matching: blocking rules are some of")]
    [TestCase("DataPool:Matching:ReviewThreshold", "25", "DataPool:Matching:ReviewThreshold (25) must not be above DataPool:Matching:LinkThreshold (20)")]
    public void An_option_out_of_range_is_refused_at_start_naming_its_key(string key, string value, string named)
    {
        using var provider = Composition.Of(new() { [key] = value });
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(refused!.Message, Does.Contain(named));
    }

    [Test]
    public void A_sources_root_that_names_a_file_is_refused_at_start()
    {
        var file = Path.Combine(Workspace.Folder, "not-a-folder");
        File.WriteAllText(file, "");
        using var provider = Composition.Of(new() { ["DataPool:SourcesRoot"] = file });
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(refused!.Message, Does.Contain("DataPool:SourcesRoot must name a folder"));
    }

    [Test]
    public void The_feature_options_are_bound_from_their_keys_and_keep_their_defaults()
    {
        var pages = Path.Combine(Workspace.Folder, "pages");
        Directory.CreateDirectory(pages);
        using var provider = Composition.Of(new()
        {
            ["DataPool:RateLimits:LoginPerMinute"] = "7",
            ["DataPool:RateLimits:LockoutFailures"] = "3",
            ["DataPool:RateLimits:LockoutMinutes"] = "2",
            ["DataPool:Verify:SerialChecksPerMinute"] = "9",
            ["DataPool:WebRoot"] = pages,
            ["DataPool:SourcesRoot"] = Path.Combine(Workspace.Folder, "defs"),
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Multiple(() =>
        {
            Assert.That((provider.GetRequiredService<RateLimits>().LoginPerMinute, provider.GetRequiredService<RateLimits>().FailedKeysPerMinute), Is.EqualTo((7, 20)));
            Assert.That(provider.GetRequiredService<LockoutPolicy>(), Is.EqualTo(new LockoutPolicy(3, TimeSpan.FromMinutes(2))));
            var verify = provider.GetRequiredService<IOptions<VerifyOptions>>().Value;
            Assert.That((verify.PerUserPerMinute, verify.SerialChecksPerMinute), Is.EqualTo((60, 9)));
            Assert.That(provider.GetRequiredService<WebUiOptions>().Root, Is.EqualTo(Path.GetFullPath(pages)));
            Assert.That(provider.GetRequiredService<SourcesRoot>().Path, Is.EqualTo(Path.Combine(Workspace.Folder, "defs")));
        });
    }

    [Test]
    public void A_postgres_store_without_a_connection_is_refused_at_start()
    {
        using var provider = Composition.Of(new() { ["DataPool:Store:Provider"] = "postgres" });
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(refused!.Message, Does.Contain("ConnectionStrings:Pool"));
    }

    [Test]
    public async Task The_command_line_stops_on_a_bad_setting_before_it_creates_a_pool()
    {
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["DataPool__Store__ReadTimeoutSeconds"] = "0" },
            "sources", "export", Workspace.Folder, "--data", Workspace.Data);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.ToString(), Does.Contain("ReadTimeoutSeconds"));
            Assert.That(File.Exists(Path.Combine(Workspace.Data, "pool.db")), Is.False, "nothing was created");
        });
    }

    [Test]
    public async Task The_command_line_refuses_a_store_that_is_none_by_the_stores_own_validation()
    {
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string>(),
            "sources", "export", Workspace.Folder, "--store", "oracle", "--data", Workspace.Data);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.ToString(), Does.Contain("--store").And.Contain("must be sqlite or postgres"));
            Assert.That(File.Exists(Path.Combine(Workspace.Data, "pool.db")), Is.False, "nothing was created");
        });
    }

    [Test]
    public async Task The_command_line_flags_win_over_the_environment()
    {
        var other = Path.Combine(Workspace.Folder, "from-environment");
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["DataPool__Data"] = other },
            "sources", "export", Path.Combine(Workspace.Folder, "out"), "--data", Workspace.Data);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(File.Exists(Path.Combine(Workspace.Data, "pool.db")), Is.True);
            Assert.That(Directory.Exists(other), Is.False);
        });
    }

    [Test]
    public async Task The_server_and_the_command_line_compose_the_same_pool_services()
    {
        await using var provider = Composition.Of(new() { ["DataPool:Data"] = Workspace.Data });
        Assert.Multiple(() =>
        {
            foreach (var type in new[] { typeof(Core.Sync.SyncRunner), typeof(Core.Matching.MatchSettings), typeof(Core.Values.TextOptions), typeof(Core.Access.IPoolAccess), typeof(Core.Reports.ReportGenerator) })
            {
                Assert.That(provider.GetService(type), Is.Not.Null, type.Name);
            }
        });
    }
}
