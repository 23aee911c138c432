using System.Text;
using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.FixedWidth.Tests;

public sealed class FixedWidthSettingsTests : FixedWidthTestBase
{
    [Test]
    public void The_kind_is_fixedwidth() => Assert.That(new FixedWidthConnector().Kind, Is.EqualTo("fixedwidth"));

    [Test]
    public void AddFixedWidthConnector_registers_the_connector_as_an_IConnector()
    {
        var services = new ServiceCollection().AddFixedWidthConnector();

        var descriptor = services.Single(d => d.ServiceType == typeof(IConnector));
        Assert.That(descriptor.ImplementationType, Is.EqualTo(typeof(FixedWidthConnector)));
        Assert.That(descriptor.Lifetime, Is.EqualTo(ServiceLifetime.Singleton));
    }

    [Test]
    public async Task The_encoding_defaults_to_GB18030()
    {
        WriteLines("persons.dat", Record("11010119570302001X", "欧阳娜娜", "2", "19800115"));

        var row = (await ReadAllAsync(Settings())).Single();

        Assert.That(row["姓名"], Is.EqualTo("欧阳娜娜"));
    }

    private async Task<string> FailureAsync(string settingsJson)
    {
        WriteLines("persons.dat", Record("11010119570302001X", "张三", "1", "19570302"));
        var (error, _) = await ReadFailureAsync(settingsJson);
        return error.Message;
    }

    [Test]
    public async Task An_unknown_encoding_names_settings_encoding() =>
        Assert.That(await FailureAsync(Settings("\"encoding\": \"GB-banana\"")), Does.StartWith("settings.encoding: 'GB-banana' is not a known encoding"));

    [Test]
    public async Task UTF16_is_refused_as_not_ASCII_compatible() =>
        Assert.That(await FailureAsync(Settings("\"encoding\": \"utf-16\"")), Does.StartWith("settings.encoding: 'utf-16' does not write ASCII as single bytes"));

    [Test]
    public async Task A_missing_file_is_reported_with_the_path_as_configured() =>
        Assert.That(await FailureAsync(Settings().Replace("persons.dat", "gone.dat")), Is.EqualTo("settings.path: file 'gone.dat' not found"));

    [Test]
    public async Task A_path_outside_the_folder_is_refused() =>
        Assert.That(await FailureAsync(Settings().Replace("persons.dat", "../persons.dat")), Is.EqualTo("settings.path: '../persons.dat' is outside the source's folder"));

    [Test]
    public async Task A_missing_layout_is_refused() =>
        Assert.That(await FailureAsync("""{ "path": "persons.dat" }"""), Does.StartWith("settings.fields: the record layout is required"));

    [TestCase("""[ { "name": "a", "start": 1, "length": 0 } ]""", "settings.fields[0].length: 0 must be positive")]
    [TestCase("""[ { "name": "a", "start": 1, "length": 5 }, { "name": "b", "start": 6, "length": -2 } ]""", "settings.fields[1].length: -2 must be positive")]
    [TestCase("""[ { "name": "a", "start": 0, "length": 5 } ]""", "settings.fields[0].start: 0 is not a byte position (the first byte is 1)")]
    [TestCase("""[ { "name": "a", "length": 5 } ]""", "settings.fields[0].start: 0 is not a byte position (the first byte is 1)")]
    [TestCase("""[ { "name": "", "start": 1, "length": 5 } ]""", "settings.fields[0].name: a name is required")]
    [TestCase("""[ { "name": "a", "start": 1, "length": 5 }, { "name": "a", "start": 6, "length": 5 } ]""", "settings.fields[1].name: 'a' is already the name of fields[0]")]
    [TestCase("""[ { "name": "id", "start": 1, "length": 18 }, { "name": "name", "start": 15, "length": 10 } ]""", "settings.fields[1]: 'name' (bytes 15–24) overlaps fields[0] 'id' (bytes 1–18)")]
    [TestCase("""[ { "name": "name", "start": 15, "length": 10 }, { "name": "id", "start": 1, "length": 18 } ]""", "settings.fields[0]: 'name' (bytes 15–24) overlaps fields[1] 'id' (bytes 1–18)")]
    [TestCase("""[ { "name": "a", "start": "one", "length": 5 } ]""", "settings: ")]
    public async Task A_bad_layout_is_refused_naming_the_setting(string fields, string expected) =>
        Assert.That(await FailureAsync($$"""{ "path": "persons.dat", "fields": {{fields}} }"""), Does.StartWith(expected));

    [TestCase("""{ "countStart": 4, "countLength": 9 }""", "settings.trailer.prefix: the text the trailer line starts with is required")]
    [TestCase("""{ "prefix": "TRL", "countStart": 0, "countLength": 9 }""", "settings.trailer.countStart: 0 is not a byte position")]
    [TestCase("""{ "prefix": "TRL", "countStart": 3, "countLength": 9 }""", "settings.trailer.countStart: 3 is inside the prefix 'TRL' (bytes 1–3)")]
    [TestCase("""{ "prefix": "TRL", "countStart": 4, "countLength": 0 }""", "settings.trailer.countLength: 0 must be between 1 and 18")]
    [TestCase("""{ "prefix": "TRL", "countStart": 4, "countLength": 19 }""", "settings.trailer.countLength: 19 must be between 1 and 18")]
    public async Task A_bad_trailer_is_refused_naming_the_setting(string trailer, string expected) =>
        Assert.That(await FailureAsync(Settings($"\"trailer\": {trailer}")), Does.StartWith(expected));

    [Test]
    public async Task A_negative_skipLines_is_refused() =>
        Assert.That(await FailureAsync(Settings("\"skipLines\": -1")), Does.StartWith("settings.skipLines: -1 must be 0 or more"));

    [Test]
    public async Task A_UTF8_file_declared_GB18030_is_refused_instead_of_imported_as_mojibake()
    {
        WriteFile("persons.dat", Record("11010119570302001X", "张三", "1", "19570302") + "\n", new UTF8Encoding(false));

        var (error, _) = await ReadFailureAsync(Settings());

        Assert.That(error.Message, Is.EqualTo("persons.dat: declared GB18030 but the file is UTF-8 — set settings.encoding to utf-8"));
    }

    [Test]
    public async Task A_binary_file_is_refused()
    {
        WriteBytes("persons.dat", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x0A]);

        var (error, _) = await ReadFailureAsync(Settings());

        Assert.That(error.Message, Does.StartWith("persons.dat: NUL bytes near line 1"));
    }
}
