namespace DataPool.Demo.Seeding.World;

/// <summary>
/// The demo world's truth: communities of Beijing streets, households of 1–6 members with a head
/// and relations, valid ID numbers, and the facts departments hold about them. Generated community
/// by community from one seeded <see cref="Random"/>, so memory stays flat whatever the scale.
/// </summary>
public static class DemoWorld
{
    /// <summary>The fixed "today" of the demo world: ages, allowance bands and dates are relative to it.</summary>
    public static readonly DateOnly ReferenceDate = new(2026, 11, 1);

    public const int PersonsPerCommunity = 1_700;

    public static int CommunityCount(int persons) => Math.Max(1, (int)Math.Ceiling(persons / (double)PersonsPerCommunity));

    /// <summary>Streams the world's communities in order; the same (persons, seed) always gives the same world.</summary>
    public static IEnumerable<DemoCommunityData> Generate(int persons, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(persons, 1);
        var communities = Divisions.Plan(CommunityCount(persons));
        var builder = new WorldBuilder(new Random(seed));
        for (var i = 0; i < communities.Count; i++)
        {
            var quota = persons / communities.Count + (i < persons % communities.Count ? 1 : 0);
            yield return new DemoCommunityData(communities[i], builder.Community(communities[i], quota));
        }
    }

    /// <summary>Whole years between a birth date and the reference date.</summary>
    public static int AgeAt(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        return at < birth.AddYears(age) ? age - 1 : age;
    }
}

internal sealed class WorldBuilder(Random r)
{
    private static readonly DateOnly Ref = DemoWorld.ReferenceDate;

    private static readonly WeightedList<int> Sizes = new((1, 25), (2, 30), (3, 25), (4, 11), (5, 6), (6, 3));
    private static readonly WeightedList<string> Minorities = new(
        ("11", 35), ("03", 30), ("02", 10), ("10", 5), ("05", 4), ("04", 3), ("08", 4), ("15", 3), ("06", 3), ("07", 1), ("17", 1), ("14", 1), ("09", 1));
    private static readonly WeightedList<string> Housing = new(("1", 70), ("2", 8), ("3", 12), ("4", 3), ("5", 2), ("6", 3), ("9", 2));
    private static readonly string[] BeijingAreas = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113", "110114", "110115"];
    private static readonly string[] OtherAreas = ["130102", "370102", "410105", "220102", "320102", "510104", "610103", "420102", "120101", "140105", "210102", "230102"];
    private static readonly Dictionary<string, string> HomeAreas = new()
    {
        ["05"] = "650102", ["17"] = "654002", ["04"] = "540102", ["02"] = "150102", ["10"] = "222401", ["03"] = "640104",
    };
    private static readonly string[] MobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158", "159", "166", "176", "177", "180", "185", "186", "187", "188", "189", "198", "199"];

    private readonly HashSet<long> _ids = [];
    private int _specialCareCertificates;

    public List<DemoHousehold> Community(DemoCommunity community, int quota)
    {
        var households = new List<DemoHousehold>();
        var layout = new Layout(r);
        var remaining = quota;
        while (remaining > 0)
        {
            var size = Math.Min(Sizes.Pick(r), remaining);
            var (building, unit, room) = layout.Next();
            var household = Household(community, households.Count + 1, building, unit, room, size);
            households.Add(household);
            remaining -= household.Members.Count;
        }

        return households;
    }

    private DemoHousehold Household(DemoCommunity c, int seq, int building, int unit, int room, int size)
    {
        var specs = Compose(size);
        var assisted = r.NextDouble() < (specs[0].Age >= 60 ? 0.035 : 0.02);
        var housing = assisted && r.NextDouble() < 0.5 ? (r.NextDouble() < 0.7 ? "3" : "4") : Housing.Pick(r);
        var headBirthYear = Ref.Year - specs[0].Age;
        var household = new DemoHousehold
        {
            Number = $"1{c.Ordinal:D5}{seq:D4}",
            Community = c,
            Building = building,
            Unit = unit,
            Room = room,
            Address = $"{c.DistrictName}{c.StreetName}{c.Name}{building}号楼{unit}单元{room}",
            HouseholdType = size == 1 && r.NextDouble() < 0.02 ? "2" : "1",
            HousingType = housing,
            Registered = RandomDate(new DateOnly(Math.Max(1958, headBirthYear + 18), 1, 1), new DateOnly(2026, 6, 30)),
        };

        foreach (var spec in specs)
        {
            household.Members.Add(Person(household, spec, specs.Count == 1));
        }

        if (assisted)
        {
            household.Assistance = Assistance(household);
        }

        return household;
    }

    private readonly record struct Spec(string Relation, bool Male, int Age, string Ethnicity, string Surname);

    /// <summary>The members of a household: head first, then spouse, children, parents, grandchildren.</summary>
    private List<Spec> Compose(int size)
    {
        var ethnicity = r.NextDouble() < 0.955 ? "01" : Minorities.Pick(r);
        var surname = Names.Surname(r, ethnicity);
        var list = new List<Spec>(size);
        int headAge;
        bool headMale;
        if (size == 1)
        {
            headAge = r.NextDouble() switch { < 0.3 => Between(22, 40), < 0.55 => Between(41, 59), _ => OldAge() };
            headMale = r.NextDouble() < (headAge >= 60 ? 0.4 : 0.55);
            list.Add(new Spec("02", headMale, headAge, ethnicity, surname));
            return list;
        }

        var threeGenerations = size >= 5 && r.NextDouble() < 0.75;
        var withParent = !threeGenerations && size >= 3 && r.NextDouble() < (size == 3 ? 0.15 : 0.35);
        var coupleOnly = size == 2 && r.NextDouble() < 0.8;
        headAge = threeGenerations ? Between(52, 82)
            : withParent ? Between(30, 58)
            : coupleOnly ? (r.NextDouble() switch { < 0.25 => Between(25, 40), < 0.5 => Between(41, 59), _ => OldAge() })
            : size == 2 ? Between(45, 90)
            : Between(28, 62);
        headMale = r.NextDouble() < (size == 2 && !coupleOnly ? 0.45 : 0.75);
        list.Add(new Spec("02", headMale, headAge, ethnicity, surname));
        var childSurname = surname;
        if (size > 2 || coupleOnly)
        {
            var spouseAge = Math.Clamp(headMale ? headAge - Between(-2, 6) : headAge + Between(-2, 6), 20, 104);
            var spouseEthnicity = ethnicity == "01" ? (r.NextDouble() < 0.01 ? Minorities.Pick(r) : "01") : (r.NextDouble() < 0.6 ? ethnicity : "01");
            var spouseSurname = Names.Surname(r, spouseEthnicity);
            list.Add(new Spec(headMale ? "12" : "11", !headMale, spouseAge, spouseEthnicity, spouseSurname));
            childSurname = headMale ? surname : spouseSurname;
        }

        var ordinalStyle = r.NextDouble() < 0.4;
        int sons = 0, daughters = 0;
        Spec Child(int age)
        {
            var male = r.NextDouble() < 0.52;
            var relation = !ordinalStyle ? (male ? "20" : "30")
                : male ? (22 + Math.Min(sons++, 4)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (32 + Math.Min(daughters++, 4)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Spec(relation, male, Math.Max(0, age), ethnicity, childSurname);
        }

        if (threeGenerations)
        {
            var viaSon = r.NextDouble() < 0.75;
            var childAge = headAge - Between(24, 30);
            var inLawSurname = Names.Surname(r, "01");
            list.Add(new Spec(viaSon ? (ordinalStyle ? "22" : "20") : (ordinalStyle ? "32" : "30"), viaSon, childAge, ethnicity, childSurname));
            list.Add(new Spec(viaSon ? "38" : "28", !viaSon, Math.Max(20, childAge + Between(-4, 3)), "01", inLawSurname));
            var grandSurname = viaSon ? childSurname : inLawSurname;
            var grandAge = childAge - Between(20, Math.Min(34, childAge));
            for (var i = 0; list.Count < size; i++)
            {
                var male = r.NextDouble() < 0.52;
                var relation = viaSon ? (male ? "41" : "42") : (male ? "43" : "44");
                list.Add(new Spec(relation, male, Math.Max(0, grandAge - i * Between(1, 6)), ethnicity, grandSurname));
            }

            return list;
        }

        if (size == 2 && !coupleOnly)
        {
            list.Add(Child(headAge - Between(22, Math.Min(36, headAge - 18))));
            return list;
        }

        if (withParent)
        {
            var parentMale = r.NextDouble() < 0.35;
            list.Add(new Spec(parentMale ? "51" : "52", parentMale, Math.Min(104, headAge + Between(22, 34)), ethnicity, parentMale ? surname : Names.Surname(r, "01")));
        }

        var firstChild = headAge - Between(22, Math.Min(38, headAge));
        for (var i = 0; list.Count < size; i++)
        {
            list.Add(Child(firstChild - i * Between(1, 8)));
        }

        return list;
    }

    private DemoPerson Person(DemoHousehold household, Spec spec, bool livingAlone)
    {
        var birth = Ref.AddYears(-spec.Age).AddDays(-Between(1, 364));
        var age = DemoWorld.AgeAt(birth, Ref);
        var area = AreaCode(spec.Ethnicity, birth.Year, household.Community.DistrictCode);
        long first17;
        var attempts = 0;
        do
        {
            if (++attempts % 100 == 0)
            {
                // Every sequence number of this address code and birth date nearly taken: register elsewhere.
                area = BeijingAreas[r.Next(BeijingAreas.Length)];
            }

            var sequence = r.Next(500) * 2 + (spec.Male ? 1 : 0);
            first17 = IdNumbers.First17(area, birth, sequence);
        }
        while (!_ids.Add(first17));

        var person = new DemoPerson
        {
            IdNumber = IdNumbers.FromFirst17(first17),
            Name = Names.FullName(r, spec.Male, birth.Year, spec.Ethnicity, spec.Surname),
            Gender = spec.Male ? "1" : "2",
            BirthDate = birth,
            Ethnicity = spec.Ethnicity,
            Relation = spec.Relation,
            Phone = Phone(age),
            Household = household,
            Age = age,
        };
        person.Disability = Disability(person);
        person.Elderly = Elderly(person, livingAlone);
        person.SpecialCare = SpecialCare(person);
        return person;
    }

    private string AreaCode(string ethnicity, int birthYear, string district)
    {
        if (HomeAreas.TryGetValue(ethnicity, out var home) && r.NextDouble() < 0.5)
        {
            return home;
        }

        var x = r.NextDouble();
        if (x < 0.7)
        {
            // Before 2010 Dongcheng and Xicheng took in Chongwen (110103) and Xuanwu (110104).
            return birthYear < 2010 && r.NextDouble() < 0.3 ? district switch { "110101" => "110103", "110102" => "110104", _ => district } : district;
        }

        return x < 0.9 ? BeijingAreas[r.Next(BeijingAreas.Length)] : OtherAreas[r.Next(OtherAreas.Length)];
    }

    private string Phone(int age)
    {
        if (age < 16 || r.NextDouble() < 0.04)
        {
            return "";
        }

        if (age >= 70 && r.NextDouble() < 0.45)
        {
            return $"010-{(r.NextDouble() < 0.5 ? 6 : 8)}{r.Next(10_000_000):D7}";
        }

        return MobilePrefixes[r.Next(MobilePrefixes.Length)] + r.Next(100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
    }

    private DisabilityFact? Disability(DemoPerson p)
    {
        var chance = p.Age switch { < 18 => 0.012, < 60 => 0.035, < 80 => 0.09, _ => 0.16 };
        var earliest = Max(new DateOnly(2008, 1, 1), p.BirthDate.AddYears(1));
        var latest = new DateOnly(2026, 6, 30);
        if (r.NextDouble() >= chance || earliest > latest)
        {
            return null;
        }

        var category = p.Age < 18 && r.NextDouble() < 0.4 ? "5"
            : r.NextDouble() switch { < 0.30 => "4", < 0.44 => "1", < 0.66 => "2", < 0.68 => "3", < 0.76 => "5", < 0.86 => "6", _ => "7" };
        var grade = r.NextDouble() switch { < 0.15 => "1", < 0.40 => "2", < 0.70 => "3", _ => "4" };
        var issued = RandomDate(earliest, latest);
        var guardian = category is "5" or "6" || p.Age < 18 ? Names.Surname(r, "01") + Names.HanGivenName(r, r.NextDouble() < 0.5, p.BirthDate.Year - 28) : null;
        return new DisabilityFact(category, grade, issued, issued.AddYears(10).AddDays(-1), guardian);
    }

    private ElderlyFact? Elderly(DemoPerson p, bool livingAlone)
    {
        if (p.Age < 80 || r.NextDouble() < 0.03)
        {
            return null;
        }

        var (band, amount) = p.Age switch { >= 100 => ("3", 800m), >= 90 => ("2", 500m), _ => ("1", 100m) };
        var eightieth = p.BirthDate.AddYears(80);
        var since = Max(new DateOnly(eightieth.Year, eightieth.Month, 1).AddMonths(1), new DateOnly(2010, 1, 1));
        return new ElderlyFact(band, amount, since, livingAlone);
    }

    private SpecialCareFact? SpecialCare(DemoPerson p)
    {
        if (p.Age < 20 || r.NextDouble() >= (p.Age >= 45 ? 0.006 : 0.002))
        {
            return null;
        }

        var (type, low, high) = r.NextDouble() switch
        {
            < 0.05 when p.Age >= 88 => ("05", 2500, 3000),
            < 0.20 => ("01", 2800, 6800),
            < 0.30 => ("02", 2600, 3200),
            < 0.35 => ("03", 2300, 2800),
            < 0.43 => ("04", 2200, 2700),
            < 0.55 when p.Age >= 50 => ("06", 1200, 1600),
            < 0.80 when p.Age >= 55 => ("07", 900, 1300),
            < 0.85 when p.Age >= 60 => ("08", 500, 800),
            < 0.95 when p.Age is >= 38 and <= 70 => ("09", 300, 600),
            _ => ("99", 300, 600),
        };
        var since = RandomDate(Max(p.BirthDate.AddYears(20), new DateOnly(1980, 1, 1)), new DateOnly(2026, 9, 1));
        since = new DateOnly(since.Year, since.Month, 1);
        var certificate = $"{p.Household.Community.DistrictCode}{since.Year}{++_specialCareCertificates % 100_000:D5}";
        return new SpecialCareFact(type, since, Between(low / 10, high / 10) * 10m, certificate);
    }

    private AssistanceFact Assistance(DemoHousehold h)
    {
        var head = h.Head;
        var single = h.Members.Count == 1;
        var type = single && (head.Age >= 60 || head.Disability is not null) && r.NextDouble() < 0.35 ? "2"
            : r.NextDouble() < 0.7 ? "1" : "3";
        decimal? amount = type switch
        {
            "1" => h.Members.Count * (1450m - Between(0, 90) * 10m),
            "2" => h.Members.Count * 1885m + (head.Age >= 80 ? 300m : 0m),
            _ => null,
        };
        var since = RandomDate(new DateOnly(2012, 1, 1), new DateOnly(2026, 9, 1));
        var status = r.NextDouble() switch { < 0.88 => "1", < 0.92 => "2", < 0.98 => "3", _ => "4" };
        return new AssistanceFact(type, amount, new DateOnly(since.Year, since.Month, 1), status);
    }

    /// <summary>Ages of people 60 and over, roughly as Beijing's 60+ population spreads over the decades.</summary>
    private int OldAge() => r.NextDouble() switch
    {
        < 0.55 => Between(60, 69),
        < 0.84 => Between(70, 79),
        < 0.975 => Between(80, 89),
        < 0.999 => Between(90, 99),
        _ => Between(100, 104),
    };

    private int Between(int low, int high) => low >= high ? low : r.Next(low, high + 1);

    private DateOnly RandomDate(DateOnly from, DateOnly to) => from >= to ? from : from.AddDays(r.Next(to.DayNumber - from.DayNumber + 1));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>Buildings of a community filled in order: rooms on a floor, floors, units, buildings.</summary>
    private sealed class Layout(Random r)
    {
        private int _building, _unit, _floor, _room, _units, _floors, _rooms;

        public (int Building, int Unit, int Room) Next()
        {
            if (_building > 0 && ++_room > _rooms)
            {
                _room = 1;
                if (++_floor > _floors)
                {
                    _floor = 1;
                    _unit++;
                }
            }

            if (_building == 0 || _unit > _units)
            {
                _building++;
                var highRise = r.NextDouble() < 0.2;
                _units = highRise ? r.Next(1, 3) : r.Next(3, 7);
                _floors = highRise ? r.Next(12, 19) : 6;
                _rooms = highRise ? 4 : 2;
                _unit = _floor = _room = 1;
            }

            return (_building, _unit, _floor * 100 + _room);
        }
    }
}
