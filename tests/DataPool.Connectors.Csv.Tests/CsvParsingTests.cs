namespace DataPool.Connectors.Csv.Tests;

public sealed class CsvParsingTests : CsvTestBase
{
    [Test]
    public async Task A_title_line_above_the_header_is_skipped_with_header_row_2()
    {
        WriteFile("persons.csv", "某某社区户籍人口登记表（2019年）\n姓名,身份证号\n张三,110101195703020011\n李四,11010119600101002X\n", Gb18030);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "encoding": "GB18030", "headerRow": 2 }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "姓名", "身份证号" }));
        Assert.That(rows[0].Number, Is.EqualTo(1));
        Assert.That(rows[0].Location, Is.EqualTo("persons.csv line 3"));
        Assert.That(rows[1].Number, Is.EqualTo(2));
        Assert.That(rows[1].Location, Is.EqualTo("persons.csv line 4"));
    }

    [Test]
    public async Task Title_lines_with_quotes_and_separators_do_not_disturb_the_parse()
    {
        WriteFile("persons.csv", "\"登记表,第一部分\n说明：\"以下为\",截至2019年\n姓名,年龄\n张三,60\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "headerRow": 3 }""");

        Assert.That(rows.Single()["姓名"], Is.EqualTo("张三"));
        Assert.That(rows.Single().Location, Is.EqualTo("persons.csv line 4"));
    }

    [TestCase("\\t")]
    [TestCase("\\\\t")]
    [TestCase("tab")]
    public async Task A_tab_separator_is_written_as_tab_or_backslash_t(string separatorJson)
    {
        WriteFile("persons.tsv", "姓名\t住址\n张三\t北京市, 东城区\n", Utf8NoBom);

        var rows = await ReadAllAsync($$"""{ "path": "persons.tsv", "separator": "{{separatorJson}}" }""");

        Assert.That(rows.Single()["住址"], Is.EqualTo("北京市, 东城区"));
    }

    [Test]
    public async Task A_semicolon_separator_is_used()
    {
        WriteFile("persons.csv", "name;amount\nZhang;1,5\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv", "separator": ";" }""");

        Assert.That(rows.Single()["amount"], Is.EqualTo("1,5"));
    }

    [Test]
    public async Task Quoted_fields_keep_line_breaks_separators_and_doubled_quotes()
    {
        WriteFile("persons.csv", "姓名,住址,备注\r\n张三,\"北京市\r\n东城区\",\"他说\"\"好\"\", 然后走了\"\r\n李四,西城区,\r\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0]["住址"], Is.EqualTo("北京市\r\n东城区"));
        Assert.That(rows[0]["备注"], Is.EqualTo("他说\"好\", 然后走了"));
        Assert.That(rows[0].Location, Is.EqualTo("persons.csv line 2"));
        Assert.That(rows[1].Location, Is.EqualTo("persons.csv line 4"), "the quoted line break takes a physical line");
        Assert.That(rows[1].Problem, Is.Null);
    }

    [Test]
    public async Task A_ragged_row_carries_a_problem_and_later_rows_still_come()
    {
        WriteFile("persons.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows, Has.Count.EqualTo(4));
        Assert.That(rows[0].Problem, Is.Null);
        Assert.That(rows[1].Problem, Is.EqualTo("line 3 has 2 fields, the header has 3"));
        Assert.That(rows[1].Values, Is.EqualTo(new string?[] { "4", "5", null }));
        Assert.That(rows[2].Problem, Is.EqualTo("line 4 has 4 fields, the header has 3"));
        Assert.That(rows[2].Values, Is.EqualTo(new string?[] { "6", "7", "8" }));
        Assert.That(rows[3].Problem, Is.Null);
        Assert.That(rows[3]["c"], Is.EqualTo("12"));
    }

    [Test]
    public async Task Trailing_empty_fields_beyond_the_header_are_not_ragged()
    {
        WriteFile("persons.csv", "a,b\n1,2,,\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows.Single().Problem, Is.Null);
        Assert.That(rows.Single().Values, Is.EqualTo(new string?[] { "1", "2" }));
    }

    [Test]
    public async Task A_stray_quote_becomes_a_problem_of_its_row()
    {
        WriteFile("persons.csv", "name,height\nZhang,5'10\"\nLi,170\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Problem, Is.EqualTo("line 2 has a stray quote in the value '5'10\"'"));
        Assert.That(rows[1].Problem, Is.Null);
        Assert.That(rows[1]["height"], Is.EqualTo("170"));
    }

    [Test]
    public async Task A_quote_never_closed_fails_the_run_instead_of_swallowing_rows()
    {
        WriteFile("persons.csv", "name,note\nZhang,ok\nLi,\"unclosed\nWang,x\nZhao,y\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv line 3: a quote opened here is not closed"));
    }

    [Test]
    public async Task Blank_lines_and_rows_of_empty_cells_are_skipped_and_lines_still_count()
    {
        WriteFile("persons.csv", "a,b\n\n1,2\n,,\n  ,\t\n\r\n3,4\n\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(rows.Select(r => r.Location), Is.EqualTo(new[] { "persons.csv line 3", "persons.csv line 7" }));
    }

    [Test]
    public async Task Header_names_are_trimmed_named_when_empty_and_suffixed_when_repeated()
    {
        WriteFile("persons.csv", " 姓名 ,,电话,电话,电话\n张三,x,1,2,3\n", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "姓名", "column 2", "电话", "电话#2", "电话#3" }));
        Assert.That(rows[0]["电话#3"], Is.EqualTo("3"));
    }

    [Test]
    public async Task Values_are_raw_text_and_empty_cells_are_null()
    {
        WriteFile("persons.csv", "name,id,note\n 张三 ,\"  110101195703020011\",\n", Utf8NoBom);

        var row = (await ReadAllAsync("""{ "path": "persons.csv" }""")).Single();

        Assert.That(row["name"], Is.EqualTo(" 张三 "));
        Assert.That(row["id"], Is.EqualTo("  110101195703020011"));
        Assert.That(row["note"], Is.Null);
    }

    [Test]
    public async Task A_file_without_a_final_line_break_reads_its_last_row()
    {
        WriteFile("persons.csv", "a,b\r\n1,2\r\n3,4", Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows.Select(r => r["b"]), Is.EqualTo(new[] { "2", "4" }));
        Assert.That(rows[1].Location, Is.EqualTo("persons.csv line 3"));
    }

    [Test]
    public async Task An_empty_file_fails_the_run()
    {
        WriteFile("persons.csv", "", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv: no header at line 1"));
    }

    [Test]
    public async Task A_header_row_past_the_end_of_the_file_fails_the_run()
    {
        WriteFile("persons.csv", "title\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "headerRow": 5 }""");

        Assert.That(ex.Message, Is.EqualTo("persons.csv: the file ends before line 5, so there is no header there — check settings.headerRow"));
    }

    [Test]
    public async Task A_header_row_that_is_empty_fails_the_run()
    {
        WriteFile("persons.csv", "title\n,,\n1,2,3\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv", "headerRow": 2 }""");

        Assert.That(ex.Message, Is.EqualTo("persons.csv line 2: the header row is empty — check settings.headerRow"));
    }

    [Test]
    public async Task A_value_of_over_a_million_characters_fails_the_run()
    {
        WriteFile("persons.csv", "a,b\n1,\"" + new string('x', 1_000_001) + "\"\n", Utf8NoBom);

        var ex = await ReadFailureAsync("""{ "path": "persons.csv" }""");

        Assert.That(ex.Message, Does.StartWith("persons.csv line 2: a value runs past 1,000,000 characters"));
    }
}
