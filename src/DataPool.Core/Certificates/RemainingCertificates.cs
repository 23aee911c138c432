using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Certificates;

/// <summary>A fact a certificate rests on, with the source that recorded it and when.</summary>
public sealed record CertificateFact(string Label, string Value, string? Source, string? At);

/// <summary>
/// What one of the four remaining certificates states: its statement, an optional table (the first row is the header),
/// the facts it rests on with their sources, the community that issues it, and every person it names (audited).
/// </summary>
public sealed record CertificateContent(string Kind, string Title, long PoolId, string? CommunityCode, string Statement,
    IReadOnlyList<string[]> Table, IReadOnlyList<CertificateFact> Facts, IReadOnlyList<long> PersonIds);

/// <summary>A member of a household, present or former (deregistered or deceased), as the certificate panel offers them.</summary>
public sealed record HouseholdMember(long PoolId, string? Name, string? Relation, bool Former);

/// <summary>The pool cannot support the certificate: the reason, never a blank certificate.</summary>
public sealed class CertificateRefusedException(string reason) : Exception(reason);

/// <summary>
/// The four certificates communities still issue (Beijing, 2019), built from the pool: relationship to a deceased
/// person and kinship for inheriting real estate from household relations (GB/T 4761, the deceased's last household),
/// designated guardianship and land-contract identity from the facts the community keeps through the one form.
/// </summary>
public sealed class RemainingCertificates(PoolDatabase database)
{
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["deceased-relationship"] = "与死者关系证明",
        ["inheritance-kinship"] = "亲属关系证明（不动产继承）",
        ["guardianship"] = "指定监护人证明",
        ["land-contract"] = "土地承包经营权人身份证明",
    };

    /// <summary>The certificate for <paramref name="poolId"/> (the applicant, the deceased, the ward or the holder); <paramref name="other"/> is the deceased of a relationship certificate.</summary>
    public async Task<CertificateContent> BuildAsync(string kind, long poolId, long? other, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var person = await PoolRecords.FirstAsync(connection, database, "person", "pool_id", poolId, cancellationToken)
            ?? throw new KeyNotFoundException($"no person {poolId}");
        return kind switch
        {
            "deceased-relationship" => await DeceasedRelationshipAsync(connection, person,
                other is { } deceasedId ? await PoolRecords.FirstAsync(connection, database, "person", "pool_id", deceasedId, cancellationToken) : null, cancellationToken),
            "inheritance-kinship" => await InheritanceAsync(connection, person, cancellationToken),
            "guardianship" => await GuardianshipAsync(connection, person, cancellationToken),
            "land-contract" => await LandContractAsync(connection, person, cancellationToken),
            _ => throw new ArgumentException($"'{kind}' is not one of {string.Join(", ", Titles.Keys)}", nameof(kind)),
        };
    }

    /// <summary>The community a person (live or deregistered) belongs to; null when there is no such person. Asked before anything else so that another community's resident answers like a missing one.</summary>
    public async Task<(bool Exists, string? Community)> CommunityOfAsync(long poolId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var person = await PoolRecords.FirstAsync(connection, database, "person", "pool_id", poolId, cancellationToken);
        return (person is not null, person?["community_code"]);
    }

    /// <summary>The household's members, present and former, and its community; null when no person of the pool is in it.</summary>
    public async Task<(string? Community, List<HouseholdMember> Members)?> HouseholdAsync(string householdNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var people = await PoolRecords.ReadAsync(connection, database, "person", "household_no", householdNo, cancellationToken, limit: 200);
        if (people.Count == 0)
        {
            return null;
        }

        var members = new List<HouseholdMember>();
        foreach (var person in people)
        {
            members.Add(new HouseholdMember(person.PoolId, person["name"], RelationLabel(person["relation_to_head"]), await IsDeceasedAsync(connection, person, cancellationToken)));
        }

        return (people.FirstOrDefault(p => !p.Deleted)?["community_code"] ?? people[0]["community_code"], members);
    }

    /// <summary>Whether the pool records the person as dead: no source holds the registration, or the community recorded the death.</summary>
    private async Task<bool> IsDeceasedAsync(DbConnection connection, PoolRecord person, CancellationToken cancellationToken) =>
        person.Deleted || (person["id_number"] is { } id
            && (await PoolRecords.FirstAsync(connection, database, "resident", "id_number", id, cancellationToken))?["residence_status"] == "3");

    private async Task<CertificateContent> DeceasedRelationshipAsync(DbConnection connection, PoolRecord applicant, PoolRecord? deceased, CancellationToken cancellationToken)
    {
        if (deceased is null)
        {
            throw new CertificateRefusedException("name the deceased person (?other=<pool id>): the pool has no such person");
        }

        if (!await IsDeceasedAsync(connection, deceased, cancellationToken))
        {
            throw new CertificateRefusedException($"{deceased["name"]}'s registration is active: the pool does not record that they have died");
        }

        var relation = RelationBetween(applicant, deceased)
            ?? (await KinByHistoryAsync(connection, deceased.PoolId, cancellationToken)).GetValueOrDefault(applicant.PoolId)
            ?? throw new CertificateRefusedException(
                $"the pool records no relation between {applicant["name"]} and {deceased["name"]}: relations are recorded to the head of one household, and they were not members of one");
        var facts = new List<CertificateFact>
        {
            await FactAsync(connection, applicant, "relation_to_head", $"{applicant["name"]}与户主关系", cancellationToken),
            await FactAsync(connection, deceased, "relation_to_head", $"{deceased["name"]}与户主关系", cancellationToken),
            new("死亡（户籍注销）", deceased.Deleted ? "已无任何来源登记其户籍" : "社区登记为已死亡", null, deceased.UpdatedAt),
        };
        return new CertificateContent("deceased-relationship", Titles["deceased-relationship"], applicant.PoolId, applicant["community_code"] ?? deceased["community_code"],
            $"兹证明 {applicant["name"]}（公民身份号码：{applicant["id_number"]}）与已故 {deceased["name"]}（公民身份号码：{deceased["id_number"]}）系{relation}关系。",
            [], facts, [applicant.PoolId, deceased.PoolId]);
    }

    private async Task<CertificateContent> InheritanceAsync(DbConnection connection, PoolRecord deceased, CancellationToken cancellationToken)
    {
        if (!await IsDeceasedAsync(connection, deceased, cancellationToken))
        {
            throw new CertificateRefusedException($"{deceased["name"]}'s registration is active: kinship for inheritance is certified for a deceased person");
        }

        var household = deceased["household_no"] ?? throw new CertificateRefusedException($"the pool holds no household for {deceased["name"]}: no relation is recorded");
        // First-order heirs (民法典 第一千一百二十七条): spouse, children, parents, read off the deceased's last household and
        // every household the deceased was ever a member of (a child who moved out before the death is an heir too).
        var heirs = new List<(PoolRecord Member, string Relation)>();
        foreach (var member in await PoolRecords.ReadAsync(connection, database, "person", "household_no", household, cancellationToken, limit: 200))
        {
            if (member.PoolId != deceased.PoolId && RelationBetween(member, deceased) is { } relation)
            {
                heirs.Add((member, relation));
            }
        }

        foreach (var (personId, relation) in await KinByHistoryAsync(connection, deceased.PoolId, cancellationToken))
        {
            if (heirs.All(h => h.Member.PoolId != personId)
                && await PoolRecords.FirstAsync(connection, database, "person", EntityTables.PoolId, personId, cancellationToken) is { } member)
            {
                heirs.Add((member, relation));
            }
        }

        if (heirs.Count == 0)
        {
            throw new CertificateRefusedException($"the pool records no spouse, child or parent of {deceased["name"]} in their household {household}");
        }

        var table = new List<string[]> { new[] { "姓名", "与被继承人关系", "公民身份号码", "状况" } };
        table.AddRange(heirs.Select(h => new[] { h.Member["name"] ?? "", h.Relation, h.Member["id_number"] ?? "", h.Member.Deleted ? "已注销" : "在册" }));
        var facts = new List<CertificateFact> { await FactAsync(connection, deceased, "relation_to_head", $"{deceased["name"]}与户主关系", cancellationToken) };
        foreach (var (member, _) in heirs)
        {
            facts.Add(await FactAsync(connection, member, "relation_to_head", $"{member["name"]}与户主关系", cancellationToken));
        }

        return new CertificateContent("inheritance-kinship", Titles["inheritance-kinship"], deceased.PoolId, deceased["community_code"],
            $"兹证明已故 {deceased["name"]}（公民身份号码：{deceased["id_number"]}，户号：{household}）的配偶、子女、父母登记如下：",
            table, facts, [deceased.PoolId, .. heirs.Select(h => h.Member.PoolId)]);
    }

    private async Task<CertificateContent> GuardianshipAsync(DbConnection connection, PoolRecord ward, CancellationToken cancellationToken)
    {
        var record = ward["id_number"] is { } id ? await PoolRecords.FirstAsync(connection, database, "guardianship", "id_number", id, cancellationToken) : null;
        if (record is null || record.Deleted)
        {
            throw new CertificateRefusedException($"the community has recorded no guardianship for {ward["name"]} (the form's 监护 section)");
        }

        if (record["legal_capacity"] is not ("2" or "3"))
        {
            throw new CertificateRefusedException($"{ward["name"]} is recorded with full legal capacity: a guardian is designated only for a person without or with limited capacity");
        }

        if (record["guardian_name"] is null || record["guardian_id_number"] is null || record["designated_by"] is null)
        {
            throw new CertificateRefusedException("the guardian's name, ID number and who designated them must all be recorded");
        }

        var capacity = record["legal_capacity"] == "2" ? "限制民事行为能力" : "无民事行为能力";
        var facts = new List<CertificateFact>();
        foreach (var (field, label) in new[] { ("legal_capacity", "民事行为能力"), ("guardian_name", "监护人"), ("guardian_id_number", "监护人公民身份号码"),
                     ("designated_by", "指定单位"), ("designated_date", "指定日期"), ("basis", "指定依据") })
        {
            if (record[field] is not null)
            {
                facts.Add(await FactAsync(connection, record, field, label, cancellationToken, field == "legal_capacity" ? capacity : null));
            }
        }

        return new CertificateContent("guardianship", Titles["guardianship"], ward.PoolId, ward["community_code"],
            $"兹证明 {ward["name"]}（公民身份号码：{ward["id_number"]}）为{capacity}人，经{record["designated_by"]}指定，"
            + $"{record["guardian_name"]}（公民身份号码：{record["guardian_id_number"]}）为其监护人。",
            [], facts, [ward.PoolId]);
    }

    private async Task<CertificateContent> LandContractAsync(DbConnection connection, PoolRecord holder, CancellationToken cancellationToken)
    {
        var record = holder["id_number"] is { } id ? await PoolRecords.FirstAsync(connection, database, "land_contract", "id_number", id, cancellationToken) : null;
        if (record is null || record.Deleted || record["contract_no"] is null || record["village"] is null)
        {
            throw new CertificateRefusedException($"the community has recorded no rural land contract (number and village collective) for {holder["name"]}");
        }

        if (record["hukou_nature"] != "2")
        {
            throw new CertificateRefusedException($"{holder["name"]} is not recorded with a non-agricultural registration: the certificate is for non-agricultural residents holding a land contract");
        }

        var facts = new List<CertificateFact>();
        foreach (var (field, label) in new[] { ("hukou_nature", "户口性质"), ("contract_no", "承包合同编号"), ("village", "发包方"), ("area_mu", "承包面积（亩）"), ("contract_date", "承包日期") })
        {
            if (record[field] is not null)
            {
                facts.Add(await FactAsync(connection, record, field, label, cancellationToken, field == "hukou_nature" ? "非农业户口" : null));
            }
        }

        return new CertificateContent("land-contract", Titles["land-contract"], holder.PoolId, holder["community_code"],
            $"兹证明 {holder["name"]}（公民身份号码：{holder["id_number"]}）为非农业户口，承包{record["village"]}农村土地（合同编号：{record["contract_no"]}），系土地承包经营权人。",
            [], facts, [holder.PoolId]);
    }

    private static async Task<CertificateFact> FactAsync(DbConnection connection, PoolRecord record, string field, string label, CancellationToken cancellationToken, string? shown = null)
    {
        var origin = await PoolRecords.OriginAsync(connection, record, field, cancellationToken);
        var value = shown ?? (field == "relation_to_head" ? RelationLabel(record[field]) : record[field]) ?? "";
        return new CertificateFact(label, value, origin is null ? null : origin.SourceName ?? origin.SourceId, origin?.At);
    }

    private static string RelationLabel(string? code) => code switch
    {
        "01" or "02" => "户主",
        { Length: 2 } c when c[0] == '1' => "配偶",
        { Length: 2 } c when c is "28" or "38" => "子女的配偶",
        { Length: 2 } c when c[0] is '2' or '3' => "子女",
        { Length: 2 } c when c[0] == '5' => "父母",
        { Length: 2 } c when c[0] == '4' => "孙子女",
        { Length: 2 } c when c[0] == '7' => "兄弟姐妹",
        null => "",
        _ => "其他",
    };

    /// <summary>What <paramref name="a"/> is to <paramref name="b"/> — 子女, 父母 or 配偶 — when their current household's relations tell; else null.</summary>
    private static string? RelationBetween(PoolRecord a, PoolRecord b) =>
        a["household_no"] is null || a["household_no"] != b["household_no"] ? null : RelationOf(a["relation_to_head"], b["relation_to_head"]);

    /// <summary>What a member with relation <paramref name="a"/> to the head is to one with <paramref name="b"/>, in one household.</summary>
    private static string? RelationOf(string? a, string? b) =>
        ClaimRelations.IsSpouseOf(a, b) == true ? "配偶"
        : ClaimRelations.IsChildOf(a, b) == true ? "子女"
        : ClaimRelations.IsChildOf(b, a) == true ? "父母"
        : null;

    /// <summary>
    /// Membership history (<c>dp_household_members</c>): every other person who shared a household with the person at any
    /// time, with what they are to the person by the relations to the head recorded for that household.
    /// </summary>
    private static async Task<Dictionary<long, string>> KinByHistoryAsync(DbConnection connection, long personId, CancellationToken cancellationToken)
    {
        var kin = new Dictionary<long, string>();
        await using var command = connection.Command(
            """
            SELECT other.person_id, other.relation_code, me.relation_code
            FROM dp_household_members me
            JOIN dp_household_members other ON other.household_key = me.household_key AND other.person_id <> me.person_id
            WHERE me.person_id = @person
            ORDER BY other.id
            """, null, ("@person", personId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RelationOf(reader.GetNullableString(1), reader.GetNullableString(2)) is { } relation)
            {
                kin.TryAdd(reader.GetInt64(0), relation);
            }
        }

        return kin;
    }
}
