using System.Net;
using System.Net.Http.Json;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Sync;
using Microsoft.Extensions.DependencyInjection;
using DataPool.Server.Identity;
using DataPool.Server.Sources;
using static DataPool.Server.Tests.Sources.ApiSources;

namespace DataPool.Server.Tests.Sources;

/// <summary>Sources stay in their box: links do not lead out of the sources root, and no message carries a secret.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class SourceBoxTests(string store)
{
    private ServerHost _server = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHost.StartAsync(store);
        _admin = await _server.ClientAsync(Roles.Admin);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("passwd.csv")]
    [TestCase("etc/outside.csv")]
    public async Task Symlink_out_of_sources_root_is_refused(string path)
    {
        var outside = Path.Combine(_server.Folder, "outside.csv");
        File.WriteAllText(outside, "root:x:0:0:root:/root:/bin/bash\r\n身份证号,姓名,性别,出生日期\r\n");
        var root = Root(_server);
        // A file link and a folder link, both inside the root, both pointing out of it.
        if (!File.Exists(Path.Combine(root, "passwd.csv")))
        {
            File.CreateSymbolicLink(Path.Combine(root, "passwd.csv"), outside);
            Directory.CreateSymbolicLink(Path.Combine(root, "etc"), _server.Folder);
        }

        using var response = await _admin.PostAsync("/api/sources/check", JsonBody(Definition(settings: $$"""{ "path": "{{path}}", "headerRow": 2 }""")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var text = await response.Content.ReadAsStringAsync();
        var report = (await response.Content.ReadFromJsonAsync<CheckReport>())!;
        Assert.That(report.Passed, Is.False);
        Assert.That(report.Failure, Does.Contain("outside the source's folder"));
        Assert.That(text, Does.Not.Contain("root:x:0:0"));
    }

    [Test]
    public async Task A_link_that_stays_inside_the_root_is_followed()
    {
        var root = Root(_server);
        Directory.CreateDirectory(Path.Combine(root, "exports"));
        File.WriteAllText(Path.Combine(root, "exports", "inside.csv"), TestSource.Title + "\r\n" + TestSource.Header + "\r\n");
        if (!File.Exists(Path.Combine(root, "current.csv")))
        {
            File.CreateSymbolicLink(Path.Combine(root, "current.csv"), Path.Combine(root, "exports", "inside.csv"));
        }

        using var response = await _admin.PostAsync("/api/sources/check", JsonBody(Definition(settings: """{ "path": "current.csv", "headerRow": 2 }""")));

        var report = (await response.Content.ReadFromJsonAsync<CheckReport>())!;
        Assert.That(report.Failure ?? "", Does.Not.Contain("outside"));
    }

    [Test]
    public async Task Secret_is_not_echoed_in_check_error()
    {
        var variable = "DP_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var secret = "hunter2-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var json = Definition("secret-path", settings: $$"""{ "path": "exports/${env:{{variable}}}.csv", "headerRow": 2 }""");
            using var check = await _admin.PostAsync("/api/sources/check", JsonBody(json));
            var text = await check.Content.ReadAsStringAsync();
            Assert.That(check.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That((await check.Content.ReadFromJsonAsync<CheckReport>())!.Failure, Does.Contain("***"));
            Assert.That(text, Does.Not.Contain(secret), "the check's error");

            await AddAsync(_admin, json);
            var result = await _server.Services.GetRequiredService<SyncRunner>().RunAsync("secret-path");
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Not.Contain(secret).And.Contain("***"), "the sync's error");
            var runs = await _admin.GetFromJsonAsync<List<RunSummary>>("/api/sources/secret-path/runs");
            Assert.That(runs![0].Error, Does.Not.Contain(secret).And.Contain("***"), "the run's stored error");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
