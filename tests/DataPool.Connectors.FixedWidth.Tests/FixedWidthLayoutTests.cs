using System.Text;

namespace DataPool.Connectors.FixedWidth.Tests;

public sealed class FixedWidthLayoutTests : FixedWidthTestBase
{
    private const string Zhang = "11010119570302001X";
    private const string Li = "110101198001150024";

    [Test]
    public async Task Fields_are_cut_at_their_byte_positions_and_GB18030_names_decode()
    {
        WriteLines("persons.dat", Record(Zhang, "张三", "1", "19570302"), Record(Li, "欧阳娜娜", "2", "19800115"));

        var rows = await ReadAllAsync(Settings());

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "身份证号", "姓名", "性别", "出生日期" }));
        Assert.That(rows[0].Values, Is.EqualTo(new[] { Zhang, "张三", "1", "19570302" }));
        Assert.That(rows[1].Values, Is.EqualTo(new[] { Li, "欧阳娜娜", "2", "19800115" }));
        Assert.That(rows.Select(r => r.Problem), Is.All.Null);
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(rows[1].Location, Is.EqualTo("persons.dat line 2"));
    }

    [Test]
    public async Task Positions_count_bytes_not_characters()
    {
        // 欧阳娜娜 is 4 characters but 8 bytes: a layout counting characters would put 性别 at byte 23.
        var line = Record(Li, "欧阳娜娜", "2", "19800115");
        Assert.That(line.Length, Is.LessThan(Gb18030.GetByteCount(line)));
        WriteLines("persons.dat", line);

        var row = (await ReadAllAsync(Settings())).Single();

        Assert.That(row["性别"], Is.EqualTo("2"));
        Assert.That(row["出生日期"], Is.EqualTo("19800115"));
    }

    [TestCase("刘㐀")] // 㐀 (U+3400, CJK extension A): four bytes in GB18030
    [TestCase("𠮷田")] // 𠮷 (U+20BB7): four bytes in GB18030, two UTF-16 chars in .NET
    public async Task A_four_byte_GB18030_character_in_a_name_is_decoded(string name)
    {
        Assert.That(Gb18030.GetBytes(name), Has.Length.EqualTo(6));
        WriteLines("persons.dat", Record(Zhang, name, "1", "19570302"));

        var row = (await ReadAllAsync(Settings())).Single();

        Assert.That(row["姓名"], Is.EqualTo(name));
        Assert.That(row["性别"], Is.EqualTo("1"));
        Assert.That(row.Problem, Is.Null);
    }

    [Test]
    public async Task A_field_ending_inside_a_four_byte_character_is_a_row_problem()
    {
        // 𠮷 takes bytes 19–22; a 姓名 of 2 bytes ends inside it.
        WriteLines("persons.dat", Record(Zhang, "𠮷田", "1", "19570302"));
        const string layout = """[ { "name": "身份证号", "start": 1, "length": 18 }, { "name": "姓名", "start": 19, "length": 2 } ]""";

        var row = (await ReadAllAsync($$"""{ "path": "persons.dat", "fields": {{layout}} }""")).Single();

        Assert.That(row.Problem, Does.Contain("'姓名' (bytes 19–20) cuts a multi-byte GB18030 character in two at its last byte 20"));
    }

    [Test]
    public async Task GBK_is_read_as_its_superset_GB18030()
    {
        WriteLines("persons.dat", Record(Zhang, "刘䶮", "1", "19570302"));

        var row = (await ReadAllAsync(Settings("\"encoding\": \"GBK\""))).Single();

        Assert.That(row["姓名"], Is.EqualTo("刘䶮"));
    }

    [Test]
    public async Task A_field_cut_in_the_middle_of_a_character_is_a_clear_row_problem()
    {
        // 姓名 given 9 bytes instead of 10: it ends inside 王 (bytes 27–28), and 性别 starts inside it.
        WriteLines("persons.dat", Record(Zhang, "张三李四王", "1", "19570302"));
        const string layout = """
            [ { "name": "身份证号", "start": 1, "length": 18 }, { "name": "姓名", "start": 19, "length": 9 },
              { "name": "性别", "start": 28, "length": 2 } ]
            """;

        var row = (await ReadAllAsync($$"""{ "path": "persons.dat", "fields": {{layout}} }""")).Single();

        Assert.That(row.Problem, Does.Contain("line 1: '姓名' (bytes 19–27) cuts a multi-byte GB18030 character in two at its last byte 27"));
        Assert.That(row.Problem, Does.Contain("line 1: '性别' (bytes 28–29) cuts a multi-byte GB18030 character in two at its first byte 28"));
        Assert.That(row["姓名"], Is.Null, "never a wrongly decoded half character");
        Assert.That(row["身份证号"], Is.EqualTo(Zhang), "the other fields are still read");
    }

    [Test]
    public async Task A_record_shifted_by_one_byte_is_caught_where_it_splits_a_character()
    {
        // A stray byte before the name shifts it: 姓名 now starts with the second byte of 张.
        WriteLines("persons.dat", Record(Zhang, "张三", "1", "19570302"), Zhang + " 张三李四" + " 1 19570302");
        const string layout = """[ { "name": "身份证号", "start": 1, "length": 18 }, { "name": "姓名", "start": 20, "length": 8 } ]""";

        var rows = await ReadAllAsync($$"""{ "path": "persons.dat", "fields": {{layout}} }""");

        Assert.That(rows[0].Problem, Does.Contain("'姓名' (bytes 20–27) cuts a multi-byte GB18030 character in two at its first byte 20"));
        Assert.That(rows[1].Problem, Is.Null);
        Assert.That(rows[1]["姓名"], Is.EqualTo("张三李四"));
    }

    [Test]
    public async Task A_short_line_is_a_row_problem_naming_the_line_and_reading_goes_on()
    {
        WriteLines("persons.dat", Record(Zhang, "张三", "1", "19570302"), Zhang + Pad("李四", 10) + "2", Record(Li, "王五", "2", "19800115"));

        var rows = await ReadAllAsync(Settings());

        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[1].Problem, Is.EqualTo("line 2 is 29 bytes long, the layout needs 38 ('出生日期' ends at byte 38)"));
        Assert.That(rows[1].Location, Is.EqualTo("persons.dat line 2"));
        Assert.That(rows[1]["姓名"], Is.EqualTo("李四"), "what the line holds is kept for the quarantine");
        Assert.That(rows[1]["性别"], Is.EqualTo("2"), "a field the line cuts short keeps its bytes");
        Assert.That(rows[1]["出生日期"], Is.Null);
        Assert.That(rows[2].Problem, Is.Null);
    }

    [Test]
    public async Task Bytes_past_the_layout_are_ignored()
    {
        WriteLines("persons.dat", Record(Zhang, "张三", "1", "19570302") + "北京市东城区 FILLER");

        var row = (await ReadAllAsync(Settings())).Single();

        Assert.That(row.Problem, Is.Null);
        Assert.That(row.Values, Has.Length.EqualTo(4));
    }

    [Test]
    public async Task Padding_is_trimmed_and_an_all_blank_field_is_null_unless_trim_is_off()
    {
        // Chinese layouts often pad with the full-width space (2 bytes in GB18030).
        WriteLines("persons.dat", Zhang + "　张三　  " + "  " + "19570302");

        var trimmed = (await ReadAllAsync(Settings())).Single();
        var raw = (await ReadAllAsync(Settings("\"trim\": false"))).Single();

        Assert.That(trimmed["姓名"], Is.EqualTo("张三"));
        Assert.That(trimmed["性别"], Is.Null);
        Assert.That(raw["姓名"], Is.EqualTo("　张三　  "));
        Assert.That(raw["性别"], Is.EqualTo("  "));
    }

    [Test]
    public async Task Invalid_bytes_in_a_field_are_a_row_problem()
    {
        // 0x80 and 0xFF are never valid GB18030 bytes.
        var good = Gb18030.GetBytes(Zhang);
        byte[] badName = [0xFF, 0x80, .. Gb18030.GetBytes("张三    ")];
        WriteBytes("persons.dat", good, badName, Gb18030.GetBytes("1 19570302\n"));

        var row = (await ReadAllAsync(Settings())).Single();

        Assert.That(row.Problem, Does.Contain("'姓名' (bytes 19–28) holds bytes that are not valid GB18030"));
        Assert.That(row["出生日期"], Is.EqualTo("19570302"));
    }

    [Test]
    public async Task Blank_lines_are_skipped_and_line_numbers_stay_physical()
    {
        WriteFile("persons.dat", "\n" + Record(Zhang, "张三", "1", "19570302") + "\n\r\n" + Record(Li, "李四", "2", "19800115"));

        var rows = await ReadAllAsync(Settings());

        Assert.That(rows.Select(r => r.Location), Is.EqualTo(new[] { "persons.dat line 2", "persons.dat line 4" }));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(rows[1]["出生日期"], Is.EqualTo("19800115"), "the last line needs no line break");
    }

    [Test]
    public async Task SkipLines_skips_a_header_record()
    {
        WriteLines("persons.dat", "HDR20260301 户籍人口", Record(Zhang, "张三", "1", "19570302"));

        var row = (await ReadAllAsync(Settings("\"skipLines\": 1"))).Single();

        Assert.That(row.Location, Is.EqualTo("persons.dat line 2"));
        Assert.That(row.Number, Is.EqualTo(1));
    }

    [Test]
    public async Task A_UTF8_file_counts_UTF8_bytes()
    {
        // 张三 is 6 bytes in UTF-8: the layout says so.
        var utf8 = new UTF8Encoding(false);
        WriteFile("persons.dat", "\uFEFF" + Zhang + "张三    " + "1\n", utf8);
        const string layout = """[ { "name": "身份证号", "start": 1, "length": 18 }, { "name": "姓名", "start": 19, "length": 10 }, { "name": "性别", "start": 29, "length": 1 } ]""";

        var row = (await ReadAllAsync($$"""{ "path": "persons.dat", "encoding": "utf-8", "fields": {{layout}} }""")).Single();

        Assert.That(row.Values, Is.EqualTo(new[] { Zhang, "张三", "1" }), "the byte order mark is not part of the first field");
    }
}
