namespace DataPool.Demo.Seeding.World;

/// <summary>A community (社区) of the demo world with its street and district.</summary>
public sealed record DemoCommunity(
    int Ordinal,
    string Code,
    string Name,
    string StreetCode,
    string StreetName,
    string DistrictCode,
    string DistrictName,
    string OfficeAddress,
    string OfficePhone);

/// <summary>One community's households, generated together (the world is streamed community by community).</summary>
public sealed record DemoCommunityData(DemoCommunity Community, IReadOnlyList<DemoHousehold> Households)
{
    public IEnumerable<DemoPerson> Persons => Households.SelectMany(h => h.Members);
}

/// <summary>A registered household (户): the truth every legacy export is rendered from.</summary>
public sealed class DemoHousehold
{
    public required string Number { get; init; }
    public required DemoCommunity Community { get; init; }
    public required int Building { get; init; }
    public required int Unit { get; init; }
    /// <summary>Floor × 100 + room on the floor, e.g. 402.</summary>
    public required int Room { get; init; }
    public required string Address { get; init; }
    /// <summary>household_type code: 1 家庭户, 2 集体户.</summary>
    public required string HouseholdType { get; init; }
    /// <summary>housing_type code.</summary>
    public required string HousingType { get; init; }
    public required DateOnly Registered { get; init; }
    public List<DemoPerson> Members { get; } = [];
    public DemoPerson Head => Members[0];
    public AssistanceFact? Assistance { get; set; }
}

/// <summary>A resident as the household register knows them, plus the facts other departments hold.</summary>
public sealed class DemoPerson
{
    public required string IdNumber { get; init; }
    public required string Name { get; init; }
    /// <summary>GB/T 2261.1: 1 male, 2 female (always agrees with the ID number).</summary>
    public required string Gender { get; init; }
    public required DateOnly BirthDate { get; init; }
    /// <summary>GB/T 3304 code.</summary>
    public required string Ethnicity { get; init; }
    /// <summary>GB/T 4761 code.</summary>
    public required string Relation { get; init; }
    /// <summary>Mobile or landline; empty for children and some adults.</summary>
    public required string Phone { get; init; }
    public required DemoHousehold Household { get; init; }
    public required int Age { get; init; }
    public DisabilityFact? Disability { get; set; }
    public ElderlyFact? Elderly { get; set; }
    public SpecialCareFact? SpecialCare { get; set; }
    public bool IsMale => Gender == "1";
}

/// <summary>A second-generation disability certificate: ID + category digit + grade digit.</summary>
public sealed record DisabilityFact(string Category, string Grade, DateOnly Issued, DateOnly ValidUntil, string? Guardian);

/// <summary>Membership of a household in a social-assistance scheme (低保/特困/低收入).</summary>
public sealed record AssistanceFact(string Type, decimal? MonthlyAmount, DateOnly Since, string Status);

/// <summary>The 80+ age allowance (高龄津贴).</summary>
public sealed record ElderlyFact(string Band, decimal MonthlyAmount, DateOnly Since, bool LivingAlone);

/// <summary>A special-care recipient (优抚对象) of veterans affairs.</summary>
public sealed record SpecialCareFact(string CareType, DateOnly Since, decimal MonthlyAmount, string CertificateNo);
