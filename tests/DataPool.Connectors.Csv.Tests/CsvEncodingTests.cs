using System.Text;

namespace DataPool.Connectors.Csv.Tests;

public sealed class CsvEncodingTests : CsvTestBase
{
    private const string Persons = "姓名,身份证号,住址\n张三,110101195703020011,北京市东城区\n李四,11010119600101002X,北京市西城区\n";

    [Test]
    public async Task Utf8_without_bom_reads_chinese_headers_and_values()
    {
        WriteFile("persons.csv", Persons, Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "姓名", "身份证号", "住址" }));
        Assert.That(rows[0]["姓名"], Is.EqualTo("张三"));
        Assert.That(rows[1]["身份证号"], Is.EqualTo("11010119600101002X"));
    }

    [Test]
    public async Task Utf8_with_bom_strips_the_bom_from_the_first_header()
    {
        WriteFile("persons.csv", Persons, Utf8NoBom, bom: true);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "encoding": "UTF-8" }""");

        Assert.That(rows[0].Header.Columns[0], Is.EqualTo("姓名"));
        Assert.That(rows[0]["姓名"], Is.EqualTo("张三"));
        Assert.That(rows[0].Location, Is.EqualTo("persons.csv line 2"));
    }

    [TestCase("GB18030")]
    [TestCase("gb18030")]
    [TestCase("GBK")]
    [TestCase("GB2312")]
    public async Task Gb18030_file_reads_with_chinese_headers_and_values(string declared)
    {
        WriteFile("persons.csv", Persons, Gb18030);

        var rows = await ReadAllAsync($$"""{ "path": "persons.csv", "encoding": "{{declared}}" }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "姓名", "身份证号", "住址" }));
        Assert.That(rows[1]["姓名"], Is.EqualTo("李四"));
        Assert.That(rows[1]["住址"], Is.EqualTo("北京市西城区"));
    }

    [Test]
    public async Task A_file_declared_gbk_may_hold_characters_only_gb18030_has()
    {
        // 䶮 (U+4DAE, a character in personal names) is a four-byte GB18030 sequence that GBK lacks.
        WriteFile("persons.csv", "姓名,身份证号\n刘䶮,110101195703020011\n", Gb18030);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "encoding": "GBK" }""");

        Assert.That(rows[0]["姓名"], Is.EqualTo("刘䶮"));
    }

    [Test]
    public async Task An_ascii_file_declared_gb18030_is_read()
    {
        WriteFile("persons.csv", "id,name\n1,Zhang San\n", Encoding.ASCII);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "encoding": "GB18030" }""");

        Assert.That(rows.Single()["name"], Is.EqualTo("Zhang San"));
    }

    [Test]
    public async Task A_gb18030_file_declared_utf8_is_refused_naming_the_line_and_the_likely_encoding()
    {
        WriteFile("persons.csv", "id,name\n1,Zhang San\n2,张三\n", Gb18030);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Is.EqualTo("persons.csv: not valid UTF-8 near line 3; it looks like GB18030 — set settings.encoding"));
    }

    [Test]
    public async Task Invalid_utf8_after_the_sniffed_prefix_fails_the_run_with_the_file_and_line()
    {
        // 5,000 ASCII rows (well past the 64 KB sniff), then one row in GB18030.
        var text = new StringBuilder("id,name,note\n");
        for (var i = 1; i <= 5000; i++)
        {
            text.Append(i).Append(",Person ").Append(i).Append(",some padding text to make the line longer\n");
        }

        var ascii = Encoding.ASCII.GetBytes(text.ToString());
        Assert.That(ascii, Has.Length.GreaterThan(64 * 1024));
        WriteBytes("persons.csv", ascii, Gb18030.GetBytes("5001,张三,\n5002,李四,\n"));

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "encoding": "utf-8" }""");

        Assert.That(ex.Message, Is.EqualTo("persons.csv: not valid UTF-8 near line 5002; it looks like GB18030 — set settings.encoding"));
        Assert.That(ex.InnerException, Is.InstanceOf<DecoderFallbackException>());
    }

    [Test]
    public async Task Invalid_gb18030_bytes_fail_the_run_with_the_line()
    {
        // 0xFF can never occur in GB18030.
        WriteBytes("persons.csv", Gb18030.GetBytes("姓名,备注\n张三,好\n李四,"), [0xFF, 0xFF], "\n"u8.ToArray());

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "encoding": "GB18030" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv: not valid GB18030 near line 3"));
    }

    [TestCase("GBK")]
    [TestCase("GB18030")]
    public async Task A_utf8_file_declared_gb_is_refused(string declared)
    {
        WriteFile("persons.csv", Persons, Utf8NoBom);

        var ex = await ReadFailureAsync($$"""{ "path": "persons.csv", "encoding": "{{declared}}" }""");

        Assert.That(ex.Message, Is.EqualTo($"persons.csv: declared {declared} but the file is UTF-8 — set settings.encoding to utf-8"));
    }

    [Test]
    public async Task A_utf8_bom_on_a_file_declared_gb18030_is_refused_even_when_the_text_is_ascii()
    {
        WriteFile("persons.csv", "id,name\n1,Zhang San\n", Utf8NoBom, bom: true);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "encoding": "GB18030" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv: declared GB18030 but the file is UTF-8"));
    }

    [Test]
    public async Task A_utf16_file_declared_utf8_is_refused()
    {
        WriteFile("persons.csv", Persons, Encoding.Unicode, bom: true);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv: NUL bytes near line 1; it looks like UTF-16"));
    }

    [Test]
    public async Task A_utf16_file_declared_utf16_is_read()
    {
        WriteFile("persons.csv", Persons, Encoding.Unicode, bom: true);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "encoding": "utf-16" }""");

        Assert.That(rows[0].Header.Columns[0], Is.EqualTo("姓名"));
        Assert.That(rows[1]["姓名"], Is.EqualTo("李四"));
    }

    [TestCase("xyz")]
    [TestCase("GB-18030")]
    public async Task An_unknown_encoding_is_refused(string declared)
    {
        WriteFile("persons.csv", Persons, Utf8NoBom);

        var ex = await ReadFailureAsync($$"""{ "path": "persons.csv", "encoding": "{{declared}}" }""");

        Assert.That(ex.Message, Is.EqualTo($"settings.encoding: '{declared}' is not a known encoding"));
    }

    [TestCase("utf8")]
    [TestCase("windows-1252")]
    [TestCase("936")]
    public async Task Other_names_encoding_knows_are_accepted(string declared)
    {
        WriteFile("persons.csv", "id,name\n1,Zhang San\n", Encoding.ASCII);

        var rows = await ReadAllAsync($$"""{ "path": "persons.csv", "encoding": "{{declared}}" }""");

        Assert.That(rows.Single()["name"], Is.EqualTo("Zhang San"));
    }
}
