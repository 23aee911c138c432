using System.Text;
using DataPool.Demo.Seeding;
using static DataPool.Core.Tests.Seeding.DemoWorlds;

namespace DataPool.Core.Tests.Seeding;

public class DemoWorldGeneratorTests
{
    private static readonly string[] DeterministicFiles =
    [
        "hukou/persons.csv", "hukou/households.csv", "disability/disability.csv", "expected.json",
        "hukou/hukou.source.json", "civil-affairs/civil-affairs.source.json", "disability/disability.source.json",
        "veterans/veterans.source.json", "ledgers/ledger.source.json",
    ];

    [TestCaseSource(nameof(DeterministicFiles))]
    public void TheSameSeedGivesTheSameBytes(string file)
    {
        var first = File.ReadAllBytes(Path.Combine(DefaultWorld, file));
        var second = File.ReadAllBytes(Path.Combine(DemoAgain, file));
        Assert.That(first, Has.Length.GreaterThan(100));
        Assert.That(second, Is.EqualTo(first), $"{file} differs between two runs with the same seed");
    }

    [Test]
    public void TheSameSeedGivesTheSameSummary() =>
        Assert.That(DemoWorldGenerator.ToJson(DemoAgainSummary), Is.EqualTo(DemoWorldGenerator.ToJson(DemoSummary)));

    [Test]
    public void AnotherSeedGivesAnotherWorld()
    {
        foreach (var file in new[] { "hukou/persons.csv", "disability/disability.csv" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(OtherSeedWorld, file)), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(DefaultWorld, file))), file);
        }

        Assert.That(OtherSeedSummary.Persons, Is.EqualTo(DemoPersons));
        Assert.That(DemoWorldGenerator.ToJson(OtherSeedSummary), Is.Not.EqualTo(DemoWorldGenerator.ToJson(DemoSummary)));
    }

    [Test]
    public void TheDemoScaleIsThreeCommunitiesOfOneStreet()
    {
        Assert.That(DemoSummary.Persons, Is.EqualTo(5_000));
        Assert.That(DemoSummary.Communities, Is.EqualTo(3));
        Assert.That(DemoSummary.Streets, Is.EqualTo(1));
        Assert.That(DemoSummary.Households, Is.InRange(1_700, 2_300), "about 2.5 residents a household");
        var codes = CsvLines(Path.Combine(DefaultWorld, "hukou", "persons.csv"), Gb18030()).Skip(2).Select(f => f[^2]).Distinct().Order().ToList();
        Assert.That(codes, Is.EqualTo(new[] { "110101001001", "110101001002", "110101001003" }));
    }

    [Test]
    public void TheHouseholdRegisterIsGb18030WithATitleLine()
    {
        var bytes = File.ReadAllBytes(Path.Combine(DefaultWorld, "hukou", "persons.csv"));
        var strictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.Throws<DecoderFallbackException>(() => strictUtf8.GetString(bytes), "GB18030 Chinese is not valid UTF-8");

        var lines = CsvLines(Path.Combine(DefaultWorld, "hukou", "persons.csv"), Gb18030());
        Assert.That(lines[0], Has.Length.EqualTo(1), "the title is one field above the header");
        Assert.That(lines[0][0], Does.Contain("户籍人口信息"));
        Assert.That(lines[1], Is.EqualTo(new[] { "身份证号", "姓名", "性别", "出生日期", "民族", "户号", "与户主关系", "住址", "联系电话", "社区代码", "户籍登记日期" }));
    }

    [Test]
    public void EveryStreamsCountsReconcile()
    {
        foreach (var source in DemoSummary.Sources)
        {
            foreach (var stream in source.Streams)
            {
                Assert.That(stream.Accepted + stream.Quarantined, Is.EqualTo(stream.Read), $"{source.Id}/{stream.Name}");
                Assert.That(stream.BadRows, Has.Count.EqualTo(stream.Quarantined), $"{source.Id}/{stream.Name}");
                Assert.That(stream.BadRows.Select(b => b.Number), Is.Unique.And.Ordered, $"{source.Id}/{stream.Name}");
            }

            Assert.That(source.ExpectedRead, Is.EqualTo(source.Streams.Sum(s => s.Read)), source.Id);
            Assert.That(source.ExpectedQuarantined, Is.EqualTo(source.Streams.Sum(s => s.Quarantined)), source.Id);
            Assert.That(source.BadRows, Is.InRange(source.Streams.Max(s => s.Quarantined), source.ExpectedQuarantined), source.Id);
        }

        var persons = Stream("hukou", "persons");
        Assert.That(persons.Read, Is.EqualTo(DemoSummary.Persons + persons.DuplicateRows), "every resident once in the register, plus duplicates");
        var households = Stream("hukou", "households");
        Assert.That(households.Read, Is.EqualTo(DemoSummary.Households + households.DuplicateRows));
        Assert.That(Stream("civil-affairs", "communities").Read, Is.EqualTo(DemoSummary.Communities));
    }

    [Test]
    public void TheCsvFilesHoldTheRowsTheSummarySays()
    {
        var gb = Gb18030();
        Assert.That(CsvLines(Path.Combine(DefaultWorld, "hukou", "persons.csv"), gb), Has.Count.EqualTo(2 + Stream("hukou", "persons").Read));
        Assert.That(CsvLines(Path.Combine(DefaultWorld, "hukou", "households.csv"), gb), Has.Count.EqualTo(2 + Stream("hukou", "households").Read));
        Assert.That(CsvLines(Path.Combine(DefaultWorld, "disability", "disability.csv"), Encoding.UTF8), Has.Count.EqualTo(1 + Stream("disability", "certificates").Read));
        var hukou = DemoSummary.Sources.Single(s => s.Id == "hukou");
        Assert.That(hukou.RowsWritten, Is.EqualTo(Stream("hukou", "persons").Read + Stream("hukou", "households").Read));
    }

    [Test]
    public void EveryKindOfDirtShowsUpAtDemoScale()
    {
        var dirt = DemoSummary.Sources.SelectMany(s => s.Dirt.Keys).ToHashSet();
        Assert.That(dirt, Is.SupersetOf(new[]
        {
            "bad_check_character", "impossible_date", "unknown_code", "ragged_line", "gender_mismatch", "birth_date_mismatch",
            "missing_id_number", "lower_case_x", "full_width_digits", "spaces_in_id", "id_15_digit", "traditional_name",
            "phone_differs", "address_differs", "valid_until_long_term", "malformed_phone", "duplicate", "written_by_ear",
        }));
        foreach (var source in DemoSummary.Sources)
        {
            Assert.That(source.ExpectedQuarantined, Is.GreaterThan(0), $"{source.Id} has rows to quarantine");
        }

        var persons = Stream("hukou", "persons");
        Assert.That(persons.Quarantined / (double)persons.Read, Is.InRange(0.01, 0.04), "2–3% dirt, part of it accepted after normalising");
    }

    [Test]
    public void GoodRowsOfTheRegisterHaveValidIdsAgreeingWithBirthDateAndGender()
    {
        var bad = Stream("hukou", "persons").BadRows.ToDictionary(b => b.Location, b => b.Defect);
        var lines = CsvLines(Path.Combine(DefaultWorld, "hukou", "persons.csv"), Gb18030());
        var checkedRows = 0;
        for (var i = 2; i < lines.Count; i++)
        {
            var location = $"persons.csv line {i + 1}";
            var f = lines[i];
            var id = NormaliseId(f[0]);
            if (bad.TryGetValue(location, out var defect))
            {
                if (defect == "bad_check_character")
                {
                    Assert.That(id[17], Is.Not.EqualTo(CheckCharacter(id)), $"{location} is listed with a wrong check character");
                }

                continue;
            }

            Assert.That(id, Has.Length.EqualTo(18), location);
            Assert.That(id[17], Is.EqualTo(CheckCharacter(id)), $"{location}: {f[0]}");
            Assert.That(f[3].Replace("-", ""), Is.EqualTo(id[6..14]), $"{location}: birth date");
            Assert.That(f[2], Is.EqualTo((id[16] - '0') % 2 == 1 ? "男" : "女"), $"{location}: gender");
            checkedRows++;
        }

        Assert.That(checkedRows, Is.GreaterThan(4_800));
    }

    [Test]
    public void FifteenDigitIdsOfTheFederationBecomeValidIds()
    {
        var lines = CsvLines(Path.Combine(DefaultWorld, "disability", "disability.csv"), Encoding.UTF8);
        var fifteen = lines.Skip(1).Where(f => f.Length > 3 && f[3].Length == 15).ToList();
        Assert.That(fifteen, Is.Not.Empty);
        foreach (var f in fifteen)
        {
            var id = NormaliseId(f[3]);
            Assert.That(id[17], Is.EqualTo(CheckCharacter(id)), f[3]);
            Assert.That(f[0], Has.Length.EqualTo(20).And.StartsWith(id), "the certificate is the 18-digit ID + category + grade");
            Assert.That(f[4], Is.EqualTo(id[6..14]), "dates written as 19570302");
        }
    }

    private static StreamSummary Stream(string source, string stream) =>
        DemoSummary.Sources.Single(s => s.Id == source).Streams.Single(s => s.Name == stream);

    /// <summary>Independent of the product's normaliser: NFKC-like folding, spaces out, x → X, 15 → 18.</summary>
    private static string NormaliseId(string raw)
    {
        var sb = new StringBuilder();
        foreach (var c in raw)
        {
            var folded = c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c == 'Ｘ' || c == 'x' ? 'X' : c;
            if (!char.IsWhiteSpace(folded))
            {
                sb.Append(folded);
            }
        }

        var id = sb.ToString();
        if (id.Length == 15)
        {
            var first17 = id[..6] + "19" + id[6..];
            return first17 + CheckCharacter(first17);
        }

        return id;
    }

    private static char CheckCharacter(string id)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * weights[i];
        }

        return "10X98765432"[sum % 11];
    }
}
