using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Csv.Tests;

public sealed class CsvSettingsTests : CsvTestBase
{
    [Test]
    public void The_kind_is_csv() => Assert.That(new CsvConnector().Kind, Is.EqualTo("csv"));

    [Test]
    public void AddCsvConnector_registers_the_connector_as_an_IConnector()
    {
        var services = new ServiceCollection().AddCsvConnector();

        var descriptor = services.Single(d => d.ServiceType == typeof(IConnector));
        Assert.That(descriptor.ImplementationType, Is.EqualTo(typeof(CsvConnector)));
        Assert.That(descriptor.Lifetime, Is.EqualTo(ServiceLifetime.Singleton));
    }

    [Test]
    public async Task A_missing_file_is_reported_with_the_path_as_configured()
    {
        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Is.EqualTo("settings.path: file 'persons.csv' not found"));
    }

    [Test]
    public async Task A_file_in_a_subfolder_is_found()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "exports"));
        WriteFile(Path.Combine("exports", "persons.csv"), "a\n1\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "exports/persons.csv" }""");

        Assert.That(rows.Single().Location, Is.EqualTo("persons.csv line 2"));
    }

    [TestCase("../outside.csv")]
    [TestCase("/etc/passwd")]
    public async Task A_path_escaping_the_definition_folder_is_refused(string path)
    {
        // The file exists, so only the folder rule can refuse it.
        File.WriteAllText(Path.Combine(Folder, "..", "outside.csv"), "a\n1\n");
        try
        {
            var ex = await ReadFailureAsync($$"""{ "path": "{{path}}" }""");

            Assert.That(ex.Message, Is.EqualTo($"settings.path: '{path}' is outside the source's folder"));
        }
        finally
        {
            File.Delete(Path.Combine(Folder, "..", "outside.csv"));
        }
    }

    [Test]
    public async Task A_missing_path_is_refused()
    {
        var ex = await ReadFailureAsync("""{ "encoding": "utf-8" }""");

        Assert.That(ex.Message, Is.EqualTo("settings.path: a path is required"));
    }

    [TestCase(";;")]
    [TestCase("\\\"")]
    public async Task A_separator_that_is_not_one_usable_character_is_refused(string separatorJson)
    {
        WriteFile("persons.csv", "a\n1\n", Utf8NoBom);

        var ex = await ReadFailureAsync($$"""{ "path": "persons.csv", "separator": "{{separatorJson}}" }""");

        Assert.That(ex.Message, Does.StartWith("settings.separator:"));
    }

    [Test]
    public async Task A_header_row_below_1_is_refused()
    {
        WriteFile("persons.csv", "a\n1\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "headerRow": 0 }""");

        Assert.That(ex.Message, Does.StartWith("settings.headerRow:"));
    }

    [Test]
    public async Task A_setting_of_the_wrong_type_is_refused_naming_it()
    {
        WriteFile("persons.csv", "a\n1\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "headerRow": "two" }""");

        Assert.That(ex.Message, Does.StartWith("settings:").And.Contain("headerRow"));
    }

    [Test]
    public async Task A_stream_setting_merged_over_the_source_is_what_is_read()
    {
        // The pipeline merges stream settings over the source's; the connector reads only the merged ones.
        WriteFile("a.csv", "x\n1\n", Utf8NoBom);
        WriteFile("b.csv", "y\n2\n", Utf8NoBom);
        var context = Context("""{ "path": "a.csv" }""") with
        {
            Settings = System.Text.Json.JsonDocument.Parse("""{ "path": "b.csv" }""").RootElement,
        };

        var rows = await ReadAllAsync(context);

        Assert.That(rows.Single()["y"], Is.EqualTo("2"));
    }
}
