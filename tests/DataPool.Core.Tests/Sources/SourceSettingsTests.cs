using System.Text.Json;
using DataPool.Core.Sources;

namespace DataPool.Core.Tests.Sources;

public class SourceSettingsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    [Test]
    public void StreamSettingsOverrideTheSourcesShallowly()
    {
        var merged = SourceSettings.Merge(
            Json("""{ "path": "a.csv", "encoding": "GB18030", "headers": { "a": "1", "b": "2" } }"""),
            Json("""{ "path": "b.csv", "headers": { "c": "3" }, "table": "t" }"""));

        Assert.That(merged.GetProperty("path").GetString(), Is.EqualTo("b.csv"));
        Assert.That(merged.GetProperty("encoding").GetString(), Is.EqualTo("GB18030"));
        Assert.That(merged.GetProperty("table").GetString(), Is.EqualTo("t"));
        // Shallow: the stream's object replaces the source's, it is not merged key by key.
        Assert.That(Compact(merged.GetProperty("headers")), Is.EqualTo("""{"c":"3"}"""));
    }

    [Test]
    public void MergeWithoutStreamSettingsCopiesTheSources()
    {
        Assert.That(Compact(SourceSettings.Merge(Json("""{ "path": "户籍.csv" }"""), null)), Is.EqualTo(Compact(Json("""{"path":"户籍.csv"}"""))));
        Assert.That(Compact(SourceSettings.Merge(default, Json("""{ "x": 1 }"""))), Is.EqualTo("""{"x":1}"""));
        Assert.That(Compact(SourceSettings.Merge(default, null)), Is.EqualTo("{}"));
        Assert.That(() => SourceSettings.Merge(Json("[1]"), null), Throws.ArgumentException);
    }

    [Test]
    public void SecretsAreResolvedWholeAndEmbedded()
    {
        var name = "DATAPOOL_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "s3cr3t;x");
        try
        {
            var resolved = SourceSettings.ResolveSecrets(Json($$"""
                {
                  "password": "${env:{{name}}}",
                  "connection": "Host=db;Username=u;Password=${env:{{name}}};Database=pool",
                  "headers": { "X-Api-Key": "${env:{{name}}}" },
                  "list": ["${env:{{name}}}", 3],
                  "headerRow": 1
                }
                """));

            Assert.That(resolved.GetProperty("password").GetString(), Is.EqualTo("s3cr3t;x"));
            Assert.That(resolved.GetProperty("connection").GetString(), Is.EqualTo("Host=db;Username=u;Password=s3cr3t;x;Database=pool"));
            Assert.That(resolved.GetProperty("headers").GetProperty("X-Api-Key").GetString(), Is.EqualTo("s3cr3t;x"));
            Assert.That(resolved.GetProperty("list")[0].GetString(), Is.EqualTo("s3cr3t;x"));
            Assert.That(resolved.GetProperty("headerRow").GetInt32(), Is.EqualTo(1));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Test]
    public void AMissingSecretNamesTheVariableAndThePathButNoValue()
    {
        var present = "DATAPOOL_TEST_PRESENT_" + Guid.NewGuid().ToString("N");
        var missing = "DATAPOOL_TEST_MISSING_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(present, "hunter2");
        try
        {
            var settings = Json($$"""{ "connection": "User=${env:{{present}}};Password=${env:{{missing}}}", "inline": "literal-value" }""");

            var e = Assert.Throws<SourceDefinitionException>(() => SourceSettings.ResolveSecrets(settings, "$.streams[1].settings"))!;

            Assert.That(e.Errors, Has.Count.EqualTo(1));
            Assert.That(e.Errors[0].Path, Is.EqualTo("$.streams[1].settings.connection"));
            Assert.That(e.Errors[0].Message, Does.Contain(missing));
            Assert.That(e.Message, Does.Not.Contain("hunter2"));
            Assert.That(e.Message, Does.Not.Contain("literal-value"));
            Assert.That(e.Message, Does.Not.Contain("User="));
            Assert.That(e.WithOrigin("hr.json").Message, Does.StartWith("hr.json: $.streams[1].settings.connection: "));
        }
        finally
        {
            Environment.SetEnvironmentVariable(present, null);
        }
    }

    [Test]
    public void MaskSecretsHidesResolvedValuesAndInlinePasswordsInAMessage()
    {
        var name = "DATAPOOL_TEST_MASK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "tok-3f9a");
        try
        {
            var settings = Json($$"""{ "baseUrl": "https://api.example/v1?key=${env:{{name}}}" }""");

            var masked = SourceSettings.MaskSecrets("GET https://api.example/v1?t=tok-3f9a failed; Host=db;Password=pw-1234;Port=5432", [settings]);

            Assert.That(masked, Is.EqualTo("GET https://api.example/v1?t=*** failed; Host=db;Password=***;Port=5432"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Test]
    public void AMalformedReferenceIsAnError()
    {
        var e = Assert.Throws<SourceDefinitionException>(() => SourceSettings.ResolveSecrets(Json("""{ "password": "${env:HR DB}" }""")))!;

        Assert.That(e.Errors.Single().Path, Is.EqualTo("$.settings.password"));
    }

    [Test]
    public void SettingsWithoutReferencesComeBackUnchanged()
    {
        var settings = Json("""{ "path": "persons.csv", "encoding": "GB18030", "headerRow": 1, "sheets": ["a", "b"], "x": null, "y": true }""");

        Assert.That(Compact(SourceSettings.ResolveSecrets(settings)), Is.EqualTo(Compact(settings)));
    }

    [Test]
    public void RedactionMasksSecretsAndKeepsReferences()
    {
        var redacted = SourceSettings.Redact(Json("""
            {
              "path": "persons.csv",
              "password": "hunter2",
              "dbPassword": "${env:HR_DB_PASSWORD}",
              "api_key": 12345,
              "token": null,
              "connection": "Host=db;Username=hr;Password=hunter2;Database=hr",
              "quoted": "Server=x;PWD='hunter2';",
              "referenced": "Host=db;Password=${env:HR_DB_PASSWORD}",
              "url": "postgres://hr:hunter2@db:5432/hr",
              "baseUrl": "https://api.example.org/v1?apikey=abc123&page=1",
              "headers": { "Authorization": "Bearer abc123", "X-Api-Key": "abc123", "Accept": "application/json" },
              "nested": [{ "clientSecret": "abc123" }]
            }
            """));

        Assert.That(redacted.GetProperty("path").GetString(), Is.EqualTo("persons.csv"));
        Assert.That(redacted.GetProperty("password").GetString(), Is.EqualTo("***"));
        Assert.That(redacted.GetProperty("dbPassword").GetString(), Is.EqualTo("${env:HR_DB_PASSWORD}"));
        Assert.That(redacted.GetProperty("api_key").GetString(), Is.EqualTo("***"));
        Assert.That(redacted.GetProperty("token").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(redacted.GetProperty("connection").GetString(), Is.EqualTo("Host=db;Username=hr;Password=***;Database=hr"));
        Assert.That(redacted.GetProperty("quoted").GetString(), Is.EqualTo("Server=x;PWD=***;"));
        Assert.That(redacted.GetProperty("referenced").GetString(), Is.EqualTo("Host=db;Password=${env:HR_DB_PASSWORD}"));
        Assert.That(redacted.GetProperty("url").GetString(), Is.EqualTo("postgres://hr:***@db:5432/hr"));
        Assert.That(redacted.GetProperty("baseUrl").GetString(), Is.EqualTo("https://api.example.org/v1?apikey=***&page=1"));
        Assert.That(redacted.GetProperty("headers").GetProperty("Authorization").GetString(), Is.EqualTo("***"));
        Assert.That(redacted.GetProperty("headers").GetProperty("X-Api-Key").GetString(), Is.EqualTo("***"));
        Assert.That(redacted.GetProperty("headers").GetProperty("Accept").GetString(), Is.EqualTo("application/json"));
        Assert.That(redacted.GetProperty("nested")[0].GetProperty("clientSecret").GetString(), Is.EqualTo("***"));
        Assert.That(redacted.GetRawText(), Does.Not.Contain("hunter2").And.Not.Contain("abc123"));
    }

    [TestCase("password")]
    [TestCase("PASSWORD")]
    [TestCase("apiKey")]
    [TestCase("api_key")]
    [TestCase("x-api-key")]
    [TestCase("accessToken")]
    [TestCase("Authorization")]
    [TestCase("clientSecret")]
    [TestCase("pwd")]
    public void SecretLookingKeys(string key) => Assert.That(SourceSettings.IsSecretKey(key), Is.True);

    [TestCase("path")]
    [TestCase("encoding")]
    [TestCase("headerRow")]
    [TestCase("baseUrl")]
    public void OrdinaryKeys(string key) => Assert.That(SourceSettings.IsSecretKey(key), Is.False);
}
