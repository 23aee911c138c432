using System.Net;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>The shell is open to strangers (they must reach the sign-in page) and nothing else is.</summary>
public sealed class StaticShellTests
{
    [TestCase("/")]
    [TestCase("/index.html")]
    [TestCase("/households/1101010010010001")]
    [TestCase("/dashboard")]
    public async Task The_page_loads_without_signing_in_with_its_security_headers(string path)
    {
        using var response = await DemoServer.Server.Anonymous().GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain("<div id=\"app\""));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        });
    }

    [Test]
    public async Task Page_does_not_load_anything_from_another_origin()
    {
        var root = Path.Combine(TestContext.CurrentContext.TestDirectory, "wwwroot");
        var offenders = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("//", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"(src|href)\s*=\s*[""']https?://|import\s.*from\s+[""']https?://|url\(\s*[""']?https?://"))
            .ToList();
        Assert.That(Directory.EnumerateFiles(root, "*.js", SearchOption.AllDirectories), Is.Not.Empty);
        Assert.That(offenders, Is.Empty);
    }

    [TestCase("/api/no-such-route")]
    [TestCase("/api/users")]
    [TestCase("/api/auth/me")]
    public async Task The_api_stays_closed_to_strangers(string path)
    {
        using var response = await DemoServer.Server.Anonymous().GetAsync(path);
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<div id=\"app\""));
    }

    [Test]
    public async Task A_missing_file_or_unknown_path_is_refused_not_the_page()
    {
        foreach (var path in new[] { "/no-such-file.js", "/no/such/route" })
        {
            using var response = await DemoServer.Server.Anonymous().GetAsync(path);
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound), path);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<div id=\"app\""), path);
        }
    }
}
