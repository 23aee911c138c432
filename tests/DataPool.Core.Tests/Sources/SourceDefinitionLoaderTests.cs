using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using static DataPool.Core.Tests.Sources.SourceFixtures;

namespace DataPool.Core.Tests.Sources;

public class SourceDefinitionLoaderTests
{
    [Test]
    public void TheDesignExampleLoads()
    {
        var definition = Loader().Parse(DesignExample, "hukou.json");

        Assert.That(definition.Id, Is.EqualTo("hukou"));
        Assert.That(definition.Kind, Is.EqualTo("csv"));
        Assert.That(definition.Schedule, Is.EqualTo("0 2 * * *"));
        Assert.That(definition.Priority, Is.EqualTo(10));
        Assert.That(definition.Settings.GetProperty("encoding").GetString(), Is.EqualTo("GB18030"));
        var stream = definition.Streams.Single();
        Assert.That(stream.Key, Is.EqualTo(new[] { "身份证号" }));
        Assert.That(stream.Mode, Is.EqualTo(StreamModes.Full));
        Assert.That(stream.Fields.Keys, Is.EquivalentTo(new[] { "id_number", "name", "gender", "birth_date" }));
        Assert.That(stream.Fields["gender"].Codes!["女"], Is.EqualTo("2"));
        Assert.That(stream.Fields["birth_date"].Parse, Is.EqualTo("date"));
    }

    [Test]
    public void LoadReadsAFileAndResolvesAgainstItsFolder()
    {
        var folder = Directory.CreateTempSubdirectory("datapool-source-").FullName;
        var file = Path.Combine(folder, "hukou.json");
        File.WriteAllText(file, DesignExample);

        var loaded = Loader().Load(file);

        Assert.That(loaded.Definition.Id, Is.EqualTo("hukou"));
        Assert.That(loaded.File, Is.EqualTo(Path.GetFullPath(file)));
        Assert.That(loaded.BaseDirectory, Is.EqualTo(Path.GetFullPath(folder)));
        Assert.That(loaded.Json, Is.EqualTo(DesignExample));
    }

    [Test]
    public void AMissingFileIsADefinitionError()
    {
        var e = Assert.Throws<SourceDefinitionException>(() => Loader().Load("/nonexistent/source.json"))!;
        Assert.That(e.Message, Does.Contain("file not found"));
    }

    [Test]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        var json = """
            /* a block comment */
            {
              "id": "x", // line comment
              "kind": "excel",
              "streams": [{
                "name": "s", "entity": "person", "key": ["a",],
                "fields": { "id_number": { "from": ["a", "b",], }, },
              },],
            }
            """;

        var definition = Loader().Parse(json, "t.json");

        Assert.That(definition.Streams[0].Fields["id_number"].From, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void DefaultsMayBeNumbersOrBooleans()
    {
        var definition = Loader().Parse(Minimal(fields: """
            "id_number": { "from": "sfzh" }, "age": { "from": "nl", "default": 18 },
            "income": { "from": "sr", "default": 1.50 }, "disabled": { "from": "cj", "default": false }
            """), "t.json");

        var fields = definition.Streams[0].Fields;
        Assert.That(fields["age"].Default, Is.EqualTo("18"));
        Assert.That(fields["income"].Default, Is.EqualTo("1.50"));
        Assert.That(fields["disabled"].Default, Is.EqualTo("false"));
    }

    [Test]
    public void A_person_stream_keyed_by_its_own_record_number_needs_no_ID_number_column() =>
        Assert.That(ErrorsOf(Minimal(fields: """ "name": { "from": "xm" }, "birth_date": { "from": "csrq", "parse": "date" } """)), Is.Empty);

    [Test]
    public void TheMinimalFixtureIsValid() => Assert.That(ErrorsOf(Minimal()), Is.Empty);

    // One defect each: the loader must report exactly the one error, at exactly this path.
    private static IEnumerable<TestCaseData> OneDefect()
    {
        TestCaseData Case(string name, string json, string path, string fragment) =>
            new TestCaseData(json, path, fragment).SetName(name);

        yield return Case("unknown top-level property", Minimal(top: "\"sheduel\": \"0 2 * * *\","), "$.sheduel", "unknown property");
        yield return Case("unknown stream property", Minimal(stream: "\"moed\": \"full\","), "$.streams[0].moed", "unknown property");
        yield return Case("unknown mapping property", Minimal(fields: """ "id_number": { "from": "sfzh", "form": "sfzh" } """),
            "$.streams[0].fields.id_number.form", "unknown property");
        yield return Case("missing id", Minimal().Replace("\"id\": \"demo-1\",", "", StringComparison.Ordinal), "$.id", "required");
        yield return Case("bad id pattern", Minimal().Replace("demo-1", "Demo_1", StringComparison.Ordinal), "$.id", "^[a-z0-9-]+$");
        yield return Case("unknown kind", Minimal().Replace("\"csv\"", "\"ftp\"", StringComparison.Ordinal), "$.kind", "registered: csv, excel");
        yield return Case("unknown entity", Minimal(entity: "persn"), "$.streams[0].entity", "'persn' is not a pool entity");
        yield return Case("unknown pool field", Minimal(fields: """ "id_number": { "from": "a" }, "surname": { "from": "b" } """),
            "$.streams[0].fields.surname", "fields: id_number, name, gender, birth_date");
        yield return Case("unknown pool field, non-identifier name", Minimal(fields: """ "id_number": { "from": "a" }, "出生": { "from": "b" } """),
            "$.streams[0].fields['出生']", "is not a field of person");
        yield return Case("bad code value", Minimal(fields: """ "id_number": { "from": "a" }, "gender": { "from": "b", "codes": { "男": "M" } } """),
            "$.streams[0].fields.gender.codes", "'M' is not a code of table gender");
        yield return Case("codes on a non-code field", Minimal(fields: """ "id_number": { "from": "a" }, "name": { "from": "b", "codes": { "x": "1" } } """),
            "$.streams[0].fields.name.codes", "code table");
        yield return Case("parse date on a string field", Minimal(fields: """ "id_number": { "from": "a" }, "name": { "from": "b", "parse": "date" } """),
            "$.streams[0].fields.name.parse", "does not fit person.name");
        yield return Case("parse id_number on a date field", Minimal(fields: """ "id_number": { "from": "a" }, "birth_date": { "from": "b", "parse": "id_number" } """),
            "$.streams[0].fields.birth_date.parse", "use 'date'");
        yield return Case("parse int on a decimal field", Minimal(fields: """ "id_number": { "from": "a" }, "income": { "from": "b", "parse": "int" } """),
            "$.streams[0].fields.income.parse", "use 'decimal'");
        yield return Case("unknown parse", Minimal(fields: """ "id_number": { "from": "a", "parse": "idnumber" } """),
            "$.streams[0].fields.id_number.parse", "is not one of: id_number, date, int, decimal, bool");
        yield return Case("incremental without cursor", Minimal(stream: "\"mode\": \"incremental\","), "$.streams[0].cursor", "required");
        yield return Case("incremental with a null cursor", Minimal(stream: "\"mode\": \"incremental\", \"cursor\": null,"), "$.streams[0].cursor", "string");
        yield return Case("bad mode", Minimal(stream: "\"mode\": \"delta\","), "$.streams[0].mode", "full, incremental");
        yield return Case("bad cron", Minimal(top: "\"schedule\": \"0 25 * * *\","), "$.schedule", "Hours: Value must be a number between 0 and 23");
        yield return Case("cron with too few fields", Minimal(top: "\"schedule\": \"0 2 * *\","), "$.schedule", "4 field(s)");
        yield return Case("duplicate stream name", DuplicateStream(), "$.streams[1].name", "duplicate stream name 'rows'");
        yield return Case("person without its key nor a name", Minimal(fields: """ "gender": { "from": "xb" } """), "$.streams[0].fields", "without id_number is matched on the other fields and must map name");
        yield return Case("empty from list", Minimal(fields: """ "id_number": { "from": [] } """), "$.streams[0].fields.id_number.from", "at least 1");
        yield return Case("no streams", """{ "id": "a", "kind": "csv", "streams": [] }""", "$.streams", "at least 1");
        yield return Case("empty key", Minimal().Replace("[\"sfzh\"]", "[]", StringComparison.Ordinal), "$.streams[0].key", "at least 1");
        yield return Case("delete share above 1", Minimal(top: "\"maxDeleteShare\": 5,"), "$.maxDeleteShare", "5");
        yield return Case("delete share not a number", Minimal(top: "\"maxDeleteShare\": \"5%\","), "$.maxDeleteShare", "number");
        yield return Case("duplicate property", Minimal(top: "\"kind\": \"excel\","), "$.kind", "duplicate property");
        yield return Case("not an object", "[1, 2]", "$", "object");
    }

    private static string DuplicateStream()
    {
        var stream = """{ "name": "rows", "entity": "person", "key": ["a"], "fields": { "id_number": { "from": "a" } } }""";
        return $$"""{ "id": "d", "kind": "csv", "streams": [{{stream}}, {{stream}}] }""";
    }

    [TestCaseSource(nameof(OneDefect))]
    public void EachDefectIsReportedAtItsPath(string json, string path, string fragment)
    {
        var errors = ErrorsOf(json);

        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { path }), string.Join("\n", errors));
        Assert.That(errors[0].Message, Does.Contain(fragment));
    }

    [Test]
    public void EveryErrorIsReportedAtOnce()
    {
        var json = """
            {
              "id": "Bad Id",
              "kind": "ftp",
              "schedule": "every day",
              "streams": [
                { "name": "a", "entity": "person", "key": ["k"], "fields": { "id_number": { "from": "k" }, "gender": { "from": "g", "codes": { "x": "7" } } } },
                { "name": "b", "entity": "nobody", "key": ["k"], "fields": { "x": { "from": "k", "onInvalid": "ignore" } } }
              ]
            }
            """;

        var e = Assert.Throws<SourceDefinitionException>(() => Loader().Parse(json, "many.json"))!;

        var expected = new[]
        {
            "$.id", "$.kind", "$.schedule", "$.streams[0].fields.gender.codes",
            "$.streams[1].entity", "$.streams[1].fields.x.onInvalid",
        };
        Assert.That(e.Errors.Select(x => x.Path), Is.EquivalentTo(expected), e.Message);
        var lines = e.Message.Split(Environment.NewLine);
        Assert.That(lines, Has.Length.EqualTo(expected.Length));
        Assert.That(lines, Has.All.StartWith("many.json: $."));
        Assert.That(e.Message, Does.Contain("many.json: $.kind: 'ftp' is not a registered connector kind"));
    }

    [Test]
    public void AJsonSyntaxErrorNamesLineAndPosition()
    {
        var json = "{\n  \"id\": \"x\",\n  \"kind\": csv\n}";

        var e = Assert.Throws<SourceDefinitionException>(() => Loader().Parse(json, "broken.json"))!;

        Assert.That(e.Errors, Has.Count.EqualTo(1));
        Assert.That(e.Errors[0].Path, Is.EqualTo("$"));
        Assert.That(e.Errors[0].Message, Does.StartWith("invalid JSON at line 3, position 11"));
        Assert.That(e.Message, Does.StartWith("broken.json: $: invalid JSON"));
    }

    [TestCase("")]
    [TestCase("  \n ")]
    public void AnEmptyDefinitionIsAnError(string json) =>
        Assert.That(ErrorsOf(json).Single(), Is.EqualTo(new DefinitionError("$", "the definition is empty")));

    [Test]
    public void PositionsCountCharactersNotBytes()
    {
        var json = "{\n\"name\": \"户籍\" x }";

        var errors = ErrorsOf(json);

        Assert.That(errors.Single().Message, Does.StartWith("invalid JSON at line 2, position 14"));
    }

    [Test]
    public void ALoaderNeedsTheSourceSchema()
    {
        var root = Directory.CreateTempSubdirectory("datapool-noschema-").FullName;
        var catalog = new SchemaCatalog(root, new Dictionary<string, PoolEntity>(), new Dictionary<string, CodeTable>());

        Assert.That(() => new SourceDefinitionLoader(catalog, ["csv"]), Throws.TypeOf<SchemaException>().With.Message.Contains("source.schema.json"));
    }

    [Test]
    public void KindsMayComeFromConnectors()
    {
        var loader = new SourceDefinitionLoader(Catalog(), new IConnector[] { new FakeConnector("rest") });

        Assert.That(loader.Kinds, Is.EquivalentTo(new[] { "rest" }));
        Assert.That(() => loader.Parse(DesignExample, "x"), Throws.TypeOf<SourceDefinitionException>().With.Message.Contains("$.kind"));
    }

    private sealed class FakeConnector(string kind) : IConnector
    {
        public string Kind => kind;

        public IAsyncEnumerable<RawRow> ReadAsync(ConnectorContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
