using System.Data.Common;
using DataPool.Core.Certificates;
using DataPool.Core.Forms;
using DataPool.Core.Households;
using DataPool.Core.Store;

namespace DataPool.Core.Burden;

/// <summary>One legacy form in the ledger: <c>retired</c> (every field served by the pool or the unified form), <c>remaining</c>, or <c>report</c> (generated).</summary>
public sealed record FormBurden(string Id, string Name, string Department, string Status, decimal PerYear, string Scope, int Fields, int MappedFields, string? Report);

/// <summary>Field entries a community's workers type in a year, before (the legacy forms) and after (what the pool cannot fill).</summary>
public sealed record CommunityBurden(string Code, string? Name, long Households, decimal EntriesBefore, decimal EntriesAfter,
    decimal EntriesPerHouseholdBefore, decimal EntriesPerHouseholdAfter, decimal CertificatesBefore = 0, decimal CertificatesAfter = 0, decimal HoursSavedPerYear = 0);

/// <summary>One kind of certificate in the ledger: what replaced it and how many a community issued a year, before and after.</summary>
public sealed record CertificateBurden(string Id, string Name, string NameEn, string AskedBy, string Replacement, decimal PerYearBefore, decimal PerYearAfter);

/// <summary>
/// How long a community worker spends on one field entry and on one certificate (asking, checking, printing, filing),
/// for the estimate of time saved; configured under <c>DataPool:Burden</c> and stated on the dashboard as the basis.
/// </summary>
public sealed class BurdenRates
{
    public int SecondsPerEntry { get; set; } = 20;
    public int SecondsPerCertificate { get; set; } = 900;
}

/// <summary>The burden ledger (the HTTP contract of <c>GET /api/burden</c>).</summary>
public sealed record BurdenSummary(int LegacyForms, int Retired, int Remaining, int UnifiedForms, int GeneratedReports,
    decimal EntriesPerHouseholdBefore, decimal EntriesPerHouseholdAfter, long Households, IReadOnlyList<CommunityBurden> Communities, IReadOnlyList<FormBurden> Forms,
    int CertificateKindsBefore = 0, int CertificateKindsIssued = 0, decimal CertificatesPerYearBefore = 0, decimal CertificatesPerYearAfter = 0,
    decimal HoursSavedPerYear = 0, int SecondsPerEntry = 0, int SecondsPerCertificate = 0, IReadOnlyList<CertificateBurden>? Certificates = null)
{
    public string SummaryLine =>
        $"burden: {LegacyForms} legacy forms → {UnifiedForms} unified form + {GeneratedReports} generated reports (retired {Retired}, remaining {Remaining}); "
        + $"field entries per household per year {EntriesPerHouseholdBefore} → {EntriesPerHouseholdAfter} over {Households} households";

    /// <summary>The certificates half of the ledger, one line (the last but one of <c>demo</c>).</summary>
    public string CertificateLine =>
        $"certificates: {CertificateKindsBefore} kinds → {CertificateKindsIssued} still issued; {CertificatesPerYearBefore} → {CertificatesPerYearAfter} a year over "
        + $"{Communities.Count} communities; about {HoursSavedPerYear} worker hours saved a year ({SecondsPerEntry} s an entry, {SecondsPerCertificate} s a certificate)";
}

/// <summary>
/// Computes the burden from the catalog, the unified form and the pool. Before: every legacy form's fields × times a
/// year, for each household, person (of the entity it applies to) or community it was filled for. After: once a year,
/// the editable fields of the unified form the pool holds no value for — a member's departmental section counts only
/// for members the department has a record of (for the others it does not apply). Generated reports cost nothing.
/// </summary>
/// Certificates: every kind in the catalog, times a year per community, before; only the four still issued after.
/// Hours saved: entries saved × <see cref="BurdenRates.SecondsPerEntry"/> plus certificates saved × <see cref="BurdenRates.SecondsPerCertificate"/>.
public sealed class BurdenLedger(PoolDatabase database, LegacyFormCatalog catalog, FormDefinition form, CertificateCatalog certificates, BurdenRates rates)
{
    public static string StatusOf(LegacyForm legacy, FormDefinition form)
    {
        if (legacy.IsReport)
        {
            return "report";
        }

        var served = form.Sections.SelectMany(s => s.Fields).Select(f => $"{f.Entity}.{f.Field}").ToHashSet(StringComparer.Ordinal);
        return legacy.Fields.Where(f => f.Mapped).All(f => served.Contains(f.Field!)) ? "retired" : "remaining";
    }

    public async Task<BurdenSummary> ComputeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var households = await CountsAsync(connection, $"SELECT community_code, COUNT(*) FROM {EntityTables.TableName("household")} WHERE {EntityTables.Deleted} = 0 GROUP BY community_code", cancellationToken);
        var names = await CommunityNames.AllAsync(connection, cancellationToken);
        var persons = await CountsAsync(connection, $"SELECT p.community_code, COUNT(*) FROM {Persons} p {LiveResident} GROUP BY p.community_code", cancellationToken);

        var entities = catalog.Forms.Select(f => f.AppliesTo).OfType<string>()
            .Concat(form.Sections.Where(s => s.PerMember).Select(s => s.Entity)).Distinct().ToList();
        var personsOf = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        var householdsOf = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            var table = EntityTables.TableName(database.Catalog.Entity(entity).Name);
            personsOf[entity] = await CountsAsync(connection,
                $"SELECT p.community_code, COUNT(*) FROM {table} x JOIN {Persons} p ON p.id_number = x.id_number AND p.{EntityTables.Deleted} = 0 WHERE x.{EntityTables.Deleted} = 0 GROUP BY p.community_code", cancellationToken);
            householdsOf[entity] = await CountsAsync(connection,
                $"SELECT p.community_code, COUNT(DISTINCT p.household_no) FROM {table} x JOIN {Persons} p ON p.id_number = x.id_number AND p.{EntityTables.Deleted} = 0 WHERE x.{EntityTables.Deleted} = 0 GROUP BY p.community_code", cancellationToken);
        }

        var before = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var code in households.Keys)
        {
            before[code] = catalog.Forms.Sum(f => f.PerYear * f.Fields.Count * f.Scope switch
            {
                FormScopes.Household => f.AppliesTo is { } e ? householdsOf[e].GetValueOrDefault(code) : households[code],
                FormScopes.Person => f.AppliesTo is { } e ? personsOf[e].GetValueOrDefault(code) : persons.GetValueOrDefault(code),
                _ => 1m,
            });
        }

        var after = await EmptyFieldsAsync(connection, cancellationToken);
        var certificatesBefore = certificates.Kinds.Sum(k => k.PerYear);
        var certificatesAfter = certificates.Kinds.Where(k => k.Replacement == Replacements.Issued).Sum(k => k.PerYear);
        decimal Hours(decimal entriesSaved, decimal certificatesSaved) =>
            Round((entriesSaved * rates.SecondsPerEntry + certificatesSaved * rates.SecondsPerCertificate) / 3600m);
        var communities = households.Keys.Order(StringComparer.Ordinal).Select(code =>
        {
            var count = households[code];
            var b = before[code];
            var a = after.GetValueOrDefault(code);
            return new CommunityBurden(code, names.GetValueOrDefault(code), (long)count, b, a, Round(b / count), Round(a / count),
                certificatesBefore, certificatesAfter, Hours(b - a, certificatesBefore - certificatesAfter));
        }).ToList();

        var forms = catalog.Forms.Select(f => new FormBurden(f.Id, f.Name, f.Department, StatusOf(f, form), f.PerYear, f.Scope, f.Fields.Count,
            f.Fields.Count(x => x.Mapped), f.Report)).ToList();
        var kinds = certificates.Kinds.Select(k => new CertificateBurden(k.Id, k.Name.Zh, k.Name.En, k.AskedBy, k.Replacement, k.PerYear,
            k.Replacement == Replacements.Issued ? k.PerYear : 0)).ToList();
        var totalHouseholds = households.Values.Sum();
        return new BurdenSummary(
            forms.Count,
            forms.Count(f => f.Status == "retired"),
            forms.Count(f => f.Status == "remaining"),
            1,
            forms.Count(f => f.Status == "report"),
            totalHouseholds == 0 ? 0 : Round(before.Values.Sum() / totalHouseholds),
            totalHouseholds == 0 ? 0 : Round(after.Values.Sum() / totalHouseholds),
            (long)totalHouseholds,
            communities,
            forms,
            certificates.Kinds.Count,
            certificates.Kinds.Count(k => k.Replacement == Replacements.Issued),
            certificatesBefore * communities.Count,
            certificatesAfter * communities.Count,
            communities.Sum(c => c.HoursSavedPerYear),
            rates.SecondsPerEntry,
            rates.SecondsPerCertificate,
            kinds);
    }

    /// <summary>Persons still living in the community: not marked moved out or dead by the form.</summary>
    private static readonly string Persons = EntityTables.TableName("person");

    private static readonly string LiveResident =
        $"LEFT JOIN {EntityTables.TableName("resident")} r ON r.id_number = p.id_number AND r.{EntityTables.Deleted} = 0 WHERE p.{EntityTables.Deleted} = 0 " +
        "AND (r.residence_status IS NULL OR r.residence_status NOT IN ('2', '3'))";

    private static decimal Round(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>Per community: the editable fields of the form with no value in the pool, over every household, member and applicable section.</summary>
    private async Task<Dictionary<string, decimal>> EmptyFieldsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(Dictionary<string, decimal> part)
        {
            foreach (var (code, n) in part)
            {
                total[code] = total.GetValueOrDefault(code) + n;
            }
        }

        string Empties(IEnumerable<FormField> fields, Func<string, string> alias) =>
            string.Join(" + ", fields.Select(f => $"CASE WHEN {alias(f.Entity)}.{f.Field} IS NULL THEN 1 ELSE 0 END").DefaultIfEmpty("0"));
        var editable = form.Sections.ToDictionary(s => s.Id, s => s.Fields.Where(f => !f.ReadOnly).ToList());

        var householdFields = form.HouseholdSections.SelectMany(s => editable[s.Id]).ToList();
        Add(await CountsAsync(connection,
            $"SELECT h.community_code, SUM({Empties(householdFields, e => e == "dwelling" ? "d" : "h")}) FROM {EntityTables.TableName("household")} h "
            + $"LEFT JOIN {EntityTables.TableName("dwelling")} d ON d.household_no = h.household_no AND d.{EntityTables.Deleted} = 0 WHERE h.{EntityTables.Deleted} = 0 GROUP BY h.community_code",
            cancellationToken));

        Add(await CountsAsync(connection,
            $"SELECT p.community_code, SUM({Empties(editable[FormDefinition.Members], e => e == "resident" ? "r" : "p")}) FROM {Persons} p {LiveResident} GROUP BY p.community_code",
            cancellationToken));

        foreach (var section in form.Sections.Where(s => s.PerMember))
        {
            var table = EntityTables.TableName(database.Catalog.Entity(section.Entity).Name);
            Add(await CountsAsync(connection,
                $"SELECT p.community_code, SUM({Empties(editable[section.Id], _ => "x")}) FROM {table} x JOIN {Persons} p ON p.id_number = x.id_number AND p.{EntityTables.Deleted} = 0 "
                + $"WHERE x.{EntityTables.Deleted} = 0 GROUP BY p.community_code",
                cancellationToken));
        }

        return total;
    }

    private static async Task<Dictionary<string, decimal>> CountsAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                counts[reader.GetString(0)] = reader.IsDBNull(1) ? 0 : Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }
}
