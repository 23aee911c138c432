using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sources;

/// <summary>
/// <c>/api/sources/editor</c>, what the source editor page calls: a sample stored in the sources root (and every hostile
/// upload refused with nothing written), its preview, column suggestions, and the dry run and removal it drives.
/// </summary>
public sealed class SourceEditorEndpointsTests() : AdminServerTests(StoreOptions.Sqlite, "--DataPool:Scheduling:Workers=1")
{

    /// <summary>A department's export without a title line: four good residents and one with a wrong check character, in GB18030.</summary>
    private static byte[] Sample() => Gb18030.GetBytes(string.Join("\r\n", [Header, .. Good.Concat([BadCheck]).Select(r => r.ToCsv())]) + "\r\n");

    private static MultipartFormDataContent Upload(byte[] bytes, string fileName)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private string[] FilesInAndAroundTheRoot()
    {
        var root = Root(Server);
        return Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(root)!, "*", SearchOption.AllDirectories)
            .Where(p => p.StartsWith(root, StringComparison.Ordinal) || Path.GetExtension(p) is ".csv" or ".xlsx" or ".exe")
            .Order(StringComparer.Ordinal).ToArray();
    }

    [Test]
    public async Task An_uploaded_sample_lands_in_the_sources_root_and_its_preview_shows_columns_rows_and_the_detected_encoding()
    {
        using var upload = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "残联名册.csv"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var stored = await upload.Content.ReadFromJsonAsync<SampleFile>();
        Assert.That(stored, Is.EqualTo(new SampleFile("残联名册.csv", Sample().Length, "csv")));
        Assert.That(File.ReadAllBytes(Path.Combine(Root(Server), "残联名册.csv")), Is.EqualTo(Sample()));

        using var preview = await Admin.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "csv", settings = new { path = "残联名册.csv" }, rows = 3 });
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK), await preview.Content.ReadAsStringAsync());
        var shown = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(shown.GetProperty("failure").ValueKind, Is.EqualTo(JsonValueKind.Null), shown.ToString());
            Assert.That(shown.GetProperty("encoding").GetString(), Is.EqualTo("GB18030"));
            Assert.That(shown.GetProperty("settings").GetProperty("encoding").GetString(), Is.EqualTo("GB18030"), "the detected encoding goes into the settings");
            Assert.That(shown.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(Header.Split(',')));
            Assert.That(shown.GetProperty("rows").GetArrayLength(), Is.EqualTo(3));
            Assert.That(shown.GetProperty("rows")[0].GetProperty("values")[1].GetString(), Is.EqualTo(Good[0].Name), "decoded, not mojibake");
        });

        using var chosen = await Admin.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "csv", settings = new { path = "残联名册.csv", encoding = "utf-8" } });
        var wrong = await chosen.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(wrong.GetProperty("failure").GetString(), Does.Contain("GB18030"), "a chosen encoding is used, and the connector says what the file looks like");
    }

    [Test]
    public async Task A_workbook_sample_previews_its_header_row_and_a_fixed_width_one_its_raw_lines_until_the_layout_is_written()
    {
        using var stream = new MemoryStream();
        using (var workbook = new ClosedXML.Excel.XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("名册");
            sheet.Cell(1, 1).Value = "残疾人名册（2019年）";
            sheet.Cell(2, 1).Value = "身份证号";
            sheet.Cell(2, 2).Value = "姓名";
            sheet.Cell(3, 1).Value = Good[0].IdNumber;
            sheet.Cell(3, 2).Value = Good[0].Name;
            workbook.SaveAs(stream);
        }

        using var workbookUpload = await Admin.PostAsync("/api/sources/editor/samples", Upload(stream.ToArray(), "名册.xlsx"));
        Assert.That(workbookUpload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await workbookUpload.Content.ReadAsStringAsync());
        Assert.That((await workbookUpload.Content.ReadFromJsonAsync<SampleFile>())!.Kind, Is.EqualTo("excel"));
        var sheetPreview = await (await Admin.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "excel", settings = new { path = "名册.xlsx", headerRow = 2 } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(sheetPreview.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "身份证号", "姓名", "_sheet" }), sheetPreview.ToString());
        Assert.That(sheetPreview.GetProperty("rows")[0].GetProperty("values")[1].GetString(), Is.EqualTo(Good[0].Name));
        // The ID typed into the sheet as a number: the admin sees the connector's warning before any sync.
        Assert.That(sheetPreview.GetProperty("rows")[0].GetProperty("problem").GetString(), Does.Contain("stored as a number"));

        var line = Good[1].IdNumber + "王芳      ";
        using var fixedUpload = await Admin.PostAsync("/api/sources/editor/samples", Upload(Gb18030.GetBytes(line + "\r\n"), "名册.dat"));
        Assert.That(fixedUpload.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var lines = await (await Admin.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "fixedwidth", settings = new { path = "名册.dat" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(lines.GetProperty("columns")[0].GetString(), Is.EqualTo(SamplePreviewer.LineColumn), lines.ToString());
        Assert.That(lines.GetProperty("encoding").GetString(), Is.EqualTo("GB18030"));
        Assert.That(lines.GetProperty("rows")[0].GetProperty("values")[0].GetString(), Is.EqualTo(line));
        var laidOut = await (await Admin.PostAsJsonAsync("/api/sources/editor/preview", new
        {
            kind = "fixedwidth",
            settings = new { path = "名册.dat", fields = new object[] { new { name = "身份证号", start = 1, length = 18 }, new { name = "姓名", start = 19, length = 10 } } },
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(laidOut.GetProperty("rows")[0].GetProperty("values")[1].GetString(), Is.EqualTo(Good[1].Name), laidOut.ToString());
    }

    [Test]
    public async Task A_preview_cannot_read_outside_the_sources_root()
    {
        File.WriteAllBytes(Path.Combine(Server.Folder, "outside.csv"), Sample());
        using var preview = await Admin.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "csv", settings = new { path = "../outside.csv" } });
        var shown = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(shown.GetProperty("failure").GetString(), Does.Contain("outside the source's folder"));
        Assert.That(shown.GetProperty("rows").GetArrayLength(), Is.Zero);
    }

    [TestCase("../evil.csv", HttpStatusCode.BadRequest)]
    [TestCase("..\\evil.csv", HttpStatusCode.BadRequest)]
    [TestCase("/tmp/evil.csv", HttpStatusCode.BadRequest)]
    [TestCase(".hidden.csv", HttpStatusCode.BadRequest)]
    [TestCase("tool.exe", HttpStatusCode.UnsupportedMediaType)]
    [TestCase("notes.docx", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_hostile_file_name_is_refused_and_nothing_is_written(string name, HttpStatusCode expected)
    {
        var before = FilesInAndAroundTheRoot();
        using var response = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), name));
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(FilesInAndAroundTheRoot(), Is.EqualTo(before));
        Assert.That(File.Exists(Path.Combine(Path.GetTempPath(), "evil.csv")) && File.ReadAllBytes(Path.Combine(Path.GetTempPath(), "evil.csv")).SequenceEqual(Sample()), Is.False);
    }

    [Test]
    public async Task Bytes_that_are_not_what_the_name_says_are_refused_and_nothing_is_written()
    {
        var before = FilesInAndAroundTheRoot();
        using var fakeWorkbook = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "名册.xlsx"));
        using var brokenZip = await Admin.PostAsync("/api/sources/editor/samples", Upload([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5], "名册.xlsx"));
        using var binary = await Admin.PostAsync("/api/sources/editor/samples", Upload([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00], "名册.csv"));
        using var empty = await Admin.PostAsync("/api/sources/editor/samples", Upload([], "空.csv"));
        using var json = await Admin.PostAsync("/api/sources/editor/samples", JsonBody("{}"));
        Assert.Multiple(() =>
        {
            Assert.That(fakeWorkbook.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(brokenZip.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(binary.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        });
        Assert.That(FilesInAndAroundTheRoot(), Is.EqualTo(before));
    }

    [Test]
    public async Task An_oversize_upload_is_413_and_nothing_is_written()
    {
        var before = FilesInAndAroundTheRoot();
        var big = new byte[SampleFiles.MaxBytes + 1];
        big.AsSpan().Fill((byte)'a');
        using var response = await Admin.PostAsync("/api/sources/editor/samples", Upload(big, "big.csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
        Assert.That(FilesInAndAroundTheRoot(), Is.EqualTo(before));
    }

    [Test]
    public async Task An_existing_file_is_replaced_only_when_asked()
    {
        using var first = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "persons.csv"));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var other = Encoding.UTF8.GetBytes("a,b\r\n1,2\r\n");
        using var again = await Admin.PostAsync("/api/sources/editor/samples", Upload(other, "persons.csv"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(File.ReadAllBytes(Path.Combine(Root(Server), "persons.csv")), Is.EqualTo(Sample()), "a file a source may read is kept");

        using var replaced = await Admin.PostAsync("/api/sources/editor/samples?replace=true", Upload(other, "persons.csv"));
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(File.ReadAllBytes(Path.Combine(Root(Server), "persons.csv")), Is.EqualTo(other));
    }

    [Test]
    public async Task Columns_are_suggested_the_pool_fields_their_labels_aliases_and_synonyms_name()
    {
        using var response = await Admin.PostAsJsonAsync("/api/sources/editor/suggestions", new { columns = new[] { "公民身份号码", "姓名", "手机号码（本人）", "出生日期", "备注" } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = answer.GetProperty("columns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("column").GetString()!, c => c.GetProperty("field").GetString() is { } f ? $"{c.GetProperty("entity").GetString()}.{f}" : null);
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("entity").GetString(), Is.EqualTo("person"));
            Assert.That(fields["公民身份号码"], Is.EqualTo("person.id_number"));
            Assert.That(fields["姓名"], Is.EqualTo("person.name"));
            Assert.That(fields["手机号码（本人）"], Is.EqualTo("person.phone"), "a bracketed note is ignored, as the gate ignores it");
            Assert.That(fields["出生日期"], Is.EqualTo("person.birth_date"));
            Assert.That(fields["备注"], Is.Null);
        });

        var entities = await Admin.GetFromJsonAsync<JsonElement>("/api/sources/editor/fields");
        var person = entities.EnumerateArray().First();
        Assert.That(person.GetProperty("name").GetString(), Is.EqualTo("person"));
        Assert.That(person.GetProperty("fields").EnumerateArray().Any(f => f.GetProperty("labels").GetProperty("zh").GetString() == "姓名"), Is.True);
    }

    /// <summary>The definition the editor builds from the suggestions, for the uploaded sample.</summary>
    private static string EditorDefinition(string id) => $$"""
        { "id": "{{id}}", "name": "残联名册（测试）", "department": "disabled-persons-federation", "kind": "csv",
          "settings": { "path": "残联名册.csv", "encoding": "GB18030", "headerRow": 1 }, "priority": 5,
          "streams": [{ "name": "person", "entity": "person", "key": ["身份证号"], "mode": "full",
            "fields": { "id_number": { "from": "身份证号" }, "name": { "from": "姓名" }, "gender": { "from": "性别" }, "birth_date": { "from": "出生日期" } } }] }
        """;

    [Test]
    public async Task A_posted_definition_dry_runs_its_mapped_rows_and_every_bad_row_with_its_reasons_writing_nothing()
    {
        using var upload = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "残联名册.csv"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var check = await Admin.PostAsync("/api/sources/check?rows=10", JsonBody(EditorDefinition("dpf-roster")));
        Assert.That(check.StatusCode, Is.EqualTo(HttpStatusCode.OK), await check.Content.ReadAsStringAsync());
        var report = await check.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("read").GetInt64(), Is.EqualTo(5));
            Assert.That(report.GetProperty("bad").GetInt64(), Is.EqualTo(1));
            Assert.That(report.GetProperty("rows")[0].GetProperty("values").GetProperty("name").GetString(), Is.EqualTo(Good[0].Name));
            Assert.That(report.GetProperty("errors")[0].GetProperty("reasons")[0].GetString(), Does.Contain("check"));
        });
        Assert.That(await CountAsync(Server, "dp_sources"), Is.Zero, "a dry run registers nothing");

        var broken = EditorDefinition("dpf-roster").Replace("\"name\": { \"from\": \"姓名\" }", "\"nmae\": { \"from\": \"姓名\" }", StringComparison.Ordinal);
        using var invalid = await Admin.PostAsync("/api/sources/check", JsonBody(broken));
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await invalid.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Does.Contain("$.streams[0].fields.nmae"), "errors are keyed by JSON path for the editor to show there");
    }

    [Test]
    public async Task An_edited_definition_of_a_registered_source_dry_runs_where_its_files_are()
    {
        using var upload = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "残联名册.csv"));
        await AddAsync(Admin, EditorDefinition("dpf-roster"));
        var edited = EditorDefinition("dpf-roster").Replace(", \"birth_date\": { \"from\": \"出生日期\" }", "", StringComparison.Ordinal);

        using var check = await Admin.PostAsync("/api/sources/dpf-roster/check?rows=2", JsonBody(edited));
        Assert.That(check.StatusCode, Is.EqualTo(HttpStatusCode.OK), await check.Content.ReadAsStringAsync());
        var report = await check.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(report.GetProperty("rows")[0].GetProperty("values").EnumerateObject().Select(p => p.Name), Does.Not.Contain("birth_date"), "the edited mapping was checked, not the stored one");

        using var stored = await Admin.PostAsync("/api/sources/dpf-roster/check?rows=2", null);
        var storedReport = await stored.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(storedReport.GetProperty("rows")[0].GetProperty("values").EnumerateObject().Select(p => p.Name), Does.Contain("birth_date"));
    }

    [Test]
    public async Task A_deleted_source_is_gone_from_the_list_and_a_second_delete_is_404()
    {
        using var upload = await Admin.PostAsync("/api/sources/editor/samples", Upload(Sample(), "残联名册.csv"));
        await AddAsync(Admin, EditorDefinition("dpf-roster"));

        using var delete = await Admin.DeleteAsync("/api/sources/dpf-roster");
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var get = await Admin.GetAsync("/api/sources/dpf-roster");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var again = await Admin.DeleteAsync("/api/sources/dpf-roster");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(File.Exists(Path.Combine(Root(Server), "残联名册.csv")), Is.True, "the sample stays: another source may read it");
    }

    [TestCase(Roles.Worker)]
    [TestCase(Roles.Analyst)]
    public async Task Other_roles_may_not_upload_preview_or_ask_for_suggestions(string role)
    {
        var client = await Server.ClientAsync(role);
        var before = FilesInAndAroundTheRoot();
        using var upload = await client.PostAsync("/api/sources/editor/samples", Upload(Sample(), "x.csv"));
        using var preview = await client.PostAsJsonAsync("/api/sources/editor/preview", new { kind = "csv", settings = new { path = "x.csv" } });
        using var suggest = await client.PostAsJsonAsync("/api/sources/editor/suggestions", new { columns = new[] { "姓名" } });
        using var fields = await client.GetAsync("/api/sources/editor/fields");
        Assert.That(new[] { upload.StatusCode, preview.StatusCode, suggest.StatusCode, fields.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(FilesInAndAroundTheRoot(), Is.EqualTo(before));
    }
}
