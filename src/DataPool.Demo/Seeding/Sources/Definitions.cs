using System.Text.Json.Nodes;
using DataPool.Demo.Seeding.Output;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>The source definitions (DESIGN.md contract) written next to each demo export.</summary>
internal static class Definitions
{
    public static void Write(string root, string folder, string file, JsonObject definition) =>
        File.WriteAllText(Path.Combine(root, folder, file), JsonPretty.Format(definition), new System.Text.UTF8Encoding(false));

    public static JsonObject Hukou() => Source(HukouSource.Id, "户籍人口信息系统（公安）", "public-security", "csv",
        new JsonObject { ["path"] = "persons.csv", ["encoding"] = "GB18030", ["headerRow"] = 2 }, "0 2 * * *", 100,
        Stream("persons", "person", ["身份证号"], null, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["name"] = F("姓名"),
            ["gender"] = F("性别", codes: new() { ["男"] = "1", ["女"] = "2" }),
            ["birth_date"] = F("出生日期", "date"),
            ["ethnicity"] = F("民族"),
            ["household_no"] = F("户号"),
            ["relation_to_head"] = F("与户主关系"),
            ["address"] = F("住址"),
            ["phone"] = F("联系电话"),
            ["community_code"] = F("社区代码"),
        }),
        Stream("households", "household", ["户号"], new JsonObject { ["path"] = "households.csv" }, new()
        {
            ["household_no"] = F("户号", required: true),
            ["household_type"] = F("户别"),
            ["head_id_number"] = F("户主身份证号", "id_number"),
            ["head_name"] = F("户主姓名"),
            ["address"] = F("住址"),
            ["community_code"] = F("社区代码"),
            ["member_count"] = F("户内人数", "int"),
            ["registered_date"] = F("立户日期", "date"),
        }));

    public static JsonObject Disability() => Source(DisabilitySource.Id, "残疾人证管理系统（残联）", "disabled-persons-federation", "csv",
        new JsonObject { ["path"] = "disability.csv", ["encoding"] = "utf-8", ["headerRow"] = 1 }, "0 4 * * *", 50,
        Stream("certificates", "disability", ["身份证号"], null, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["certificate_no"] = F("残疾人证号"),
            ["category"] = F("残疾类别"),
            ["grade"] = F("残疾等级"),
            ["issued_date"] = F("发证日期", "date"),
            // "长期" (no expiry) is not a date: keep it flagged rather than lose the certificate.
            ["valid_until"] = F("有效期至", "date", onInvalid: "flag"),
        }),
        Stream("holders", "person", ["身份证号"], null, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["name"] = F("姓名"),
            ["gender"] = F("性别"),
            ["birth_date"] = F("出生日期", "date"),
            ["phone"] = F("联系电话"),
            ["address"] = F("住址"),
        }));

    public static JsonObject CivilAffairs() => Source(CivilAffairsSource.Id, "民政业务系统（社会救助、高龄津贴、社区名录）", "civil-affairs", "excel",
        new JsonObject { ["headerRow"] = 2 }, "0 3 * * 1", 60,
        Stream("assistance", "social_assistance", ["身份证号"],
            new JsonObject { ["path"] = "assistance.xlsx", ["sheets"] = new JsonArray(CivilAffairsSource.AssistanceSheet), ["headerRow"] = 3 }, new()
            {
                ["id_number"] = F("身份证号", "id_number"),
                ["household_no"] = F("户号"),
                ["assistance_type"] = F("救助类别"),
                ["covered_members"] = F("保障人数", "int"),
                ["monthly_amount"] = F("月救助金额（元）", "decimal"),
                ["since"] = F("救助起始日期", "date"),
                ["status"] = F("救助状态"),
            }),
        Stream("elderly", "elderly", ["身份证号"], new JsonObject { ["path"] = "elderly-allowance.xlsx" }, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["allowance_type"] = F("津贴档次"),
            ["monthly_amount"] = F("月发放金额（元）", "decimal"),
            ["since"] = F("起始日期", "date"),
            ["living_alone"] = F("是否独居", "bool"),
        }),
        Stream("communities", "community", ["社区代码"], new JsonObject { ["path"] = "communities.xlsx" }, new()
        {
            ["community_code"] = F("社区代码", required: true),
            ["name"] = F("社区名称"),
            ["street_code"] = F("街道代码"),
            ["street_name"] = F("街道名称"),
            ["district_code"] = F("区代码"),
            ["district_name"] = F("区名称"),
            ["office_address"] = F("社区居委会地址"),
            ["office_phone"] = F("联系电话"),
        }));

    public static JsonObject Veterans() => Source(VeteransSource.Id, "优抚对象信息管理（退役军人事务）", "veterans-affairs", "excel",
        new JsonObject { ["path"] = "special-care.xlsx", ["headerRow"] = 2 }, "0 5 1 * *", 50,
        Stream("special-care", "special_care", ["身份证号"], null, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["care_type"] = F("优抚类别", codes: VeteransSource.OwnCodes),
            ["certificate_no"] = F("优抚证号"),
            ["since"] = F("享受起始日期", "date"),
            ["monthly_amount"] = F("月抚恤补助金额（元）", "decimal"),
        }));

    public static JsonObject Ledger(string communityName) => Source(LedgerSource.Id, $"{communityName}居民信息台账", "community", "excel",
        new JsonObject { ["path"] = "ledger.xlsx", ["headerRow"] = 2 }, null, 30,
        Stream("residents", "person", ["身份证号"], null, new()
        {
            ["id_number"] = F("身份证号", "id_number"),
            ["name"] = F("姓名"),
            ["gender"] = F("性别"),
            ["birth_date"] = F("出生日期", "date"),
            ["relation_to_head"] = F("与户主关系"),
            // Hand-typed: a malformed number is kept and flagged for the worker, not a reason to drop the resident.
            ["phone"] = F("联系电话", onInvalid: "flag"),
            ["address"] = F("现住址"),
            ["household_no"] = F("户号"),
        }),
        Stream("households", "household", ["户号"], null, new()
        {
            ["household_no"] = F("户号", required: true),
            ["housing_type"] = F("住房类型", codes: LedgerSource.OwnHousingCodes),
            ["address"] = F("现住址"),
        }));

    /// <summary>The visit log has no ID numbers: its own registration number is the key, and the matcher finds the resident.</summary>
    public static JsonObject Visits(string communityName)
    {
        var visits = Stream("visits", "person", ["登记编号"], null, new()
        {
            ["name"] = F("姓名"),
            ["gender"] = F("性别"),
            ["birth_date"] = F("出生日期", "date"),
            ["phone"] = F("联系电话", onInvalid: "flag"),
            ["community_code"] = F("社区代码"),
        });
        // The day of the visit is when the log's values were true.
        visits["asOf"] = "走访日期";
        return Source(VisitsSource.Id, $"{communityName}为老服务走访登记", "community", "csv",
            new JsonObject { ["path"] = VisitsSource.FileName, ["encoding"] = "utf-8", ["headerRow"] = 1 }, null, 20, visits);
    }

    private static JsonObject Source(string id, string name, string department, string kind, JsonObject settings, string? schedule, int priority, params JsonObject[] streams)
    {
        var source = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["department"] = department,
            ["kind"] = kind,
            ["settings"] = settings,
        };
        if (schedule is not null)
        {
            source["schedule"] = schedule;
        }

        source["priority"] = priority;
        source["streams"] = new JsonArray(streams);
        return source;
    }

    private static JsonObject Stream(string name, string entity, string[] key, JsonObject? settings, OrderedDictionary<string, JsonObject> fields)
    {
        var stream = new JsonObject
        {
            ["name"] = name,
            ["entity"] = entity,
            ["key"] = new JsonArray(key.Select(k => (JsonNode)k).ToArray()),
            ["mode"] = "full",
        };
        if (settings is not null)
        {
            stream["settings"] = settings;
        }

        var mapped = new JsonObject();
        foreach (var (field, mapping) in fields)
        {
            mapped[field] = mapping;
        }

        stream["fields"] = mapped;
        return stream;
    }

    private static JsonObject F(string from, string? parse = null, Dictionary<string, string>? codes = null, string? onInvalid = null, bool? required = null)
    {
        var mapping = new JsonObject { ["from"] = from };
        if (parse is not null)
        {
            mapping["parse"] = parse;
        }

        if (codes is not null)
        {
            mapping["codes"] = new JsonObject(codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
        }

        if (onInvalid is not null)
        {
            mapping["onInvalid"] = onInvalid;
        }

        if (required is not null)
        {
            mapping["required"] = required;
        }

        return mapping;
    }
}
