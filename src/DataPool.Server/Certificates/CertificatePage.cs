using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DataPool.Core.Schema;

namespace DataPool.Server.Certificates;

/// <summary>
/// The printable page of a certificate: self-contained HTML (inline print CSS, no script, nothing fetched), A4 portrait,
/// every value HTML-encoded. The ID number is printed in full: the certificate is for the resident themselves.
/// </summary>
internal static class CertificatePage
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["residence"] = "居住证明",
        ["household-composition"] = "家庭成员关系证明",
    };

    private const string Style = """
        @page { size: A4 portrait; margin: 25mm 20mm; }
        body { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
        h1 { text-align: center; font-size: 22pt; letter-spacing: 0.5em; margin: 0 0 1em; }
        .serial { text-align: right; font-size: 10pt; }
        table { width: 100%; border-collapse: collapse; margin: 1em 0; font-size: 12pt; }
        th, td { border: 1px solid #000; padding: 4px 6px; text-align: left; }
        .issuer { margin-top: 3em; text-align: right; }
        .note { font-size: 10pt; margin-top: 2em; }
        .facts { font-size: 9pt; margin-top: 2em; } .facts caption { text-align: left; font-weight: bold; }
        @media print { .no-print { display: none; } }
        """;

    /// <summary>One of the four remaining certificates: its statement, table, and the facts it rests on with their sources.</summary>
    public static string RenderContent(Core.Certificates.CertificateContent content, string serial, string communityName, DateTimeOffset issuedAt)
    {
        var h = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string E(string? text) => h.Encode(text ?? "");
        var date = issuedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"serial\">编号：{E(serial)}</p><h1>{E(content.Title)}</h1><p>{E(content.Statement)}</p>");
        if (content.Table.Count > 1)
        {
            body.Append("<table><thead><tr>").AppendJoin("", content.Table[0].Select(c => $"<th>{E(c)}</th>")).Append("</tr></thead><tbody>");
            foreach (var row in content.Table.Skip(1))
            {
                body.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{E(c)}</td>")).Append("</tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<p>特此证明。</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"issuer\">{E(communityName)}居民委员会（盖章）<br>{E(date)}</p>");
        body.Append("<table class=\"facts\"><caption>证明所依据的数据</caption><thead><tr><th>事项</th><th>登记内容</th><th>来源</th><th>登记时间</th></tr></thead><tbody>");
        foreach (var fact in content.Facts)
        {
            var at = fact.At is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when)
                ? when.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(fact.Label)}</td><td>{E(fact.Value)}</td><td>{E(fact.Source ?? "—")}</td><td>{E(at)}</td></tr>");
        }

        body.Append("</tbody></table>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\">本证明依据社区数据池信息生成；凭编号 {E(serial)} 可核验真伪（/api/certificates/verify/{E(serial)}）。涂改无效。</p>");
        return $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{E(content.Title)} {E(serial)}</title><style>{Style}</style></head><body>{body}</body></html>";
    }

    public static string Render(SchemaCatalog schema, string kind, string serial, IReadOnlyDictionary<string, string?> person,
        IReadOnlyList<Dictionary<string, string?>> members, IReadOnlyDictionary<string, string?>? community, DateTimeOffset issuedAt)
    {
        var h = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string E(string? text) => h.Encode(text ?? "");
        string Code(string table, string? code) => code is not null && schema.CodeTables.TryGetValue(table, out var t) && t.Codes.TryGetValue(code, out var label) ? label : code ?? "";
        var communityName = community?.GetValueOrDefault("name") ?? person.GetValueOrDefault("community_code") ?? "";
        var date = issuedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"serial\">编号：{E(serial)}</p><h1>{E(Kinds[kind])}</h1>");
        if (kind == "residence")
        {
            body.Append(
                $"<p>兹证明 <strong>{E(person.GetValueOrDefault("name"))}</strong>（性别：{E(Code("gender", person.GetValueOrDefault("gender")))}，"
                + $"出生日期：{E(person.GetValueOrDefault("birth_date"))}，公民身份号码：{E(person.GetValueOrDefault("id_number"))}）"
                + $"现居住于 {E(person.GetValueOrDefault("address"))}，系本社区（{E(communityName)}）居民。</p><p>特此证明。</p>");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<p>兹证明户号 {E(person.GetValueOrDefault("household_no"))}（住址：{E(person.GetValueOrDefault("address"))}）家庭成员及其关系如下：</p>");
            body.Append("<table><thead><tr><th>姓名</th><th>与户主关系</th><th>性别</th><th>出生日期</th><th>公民身份号码</th></tr></thead><tbody>");
            foreach (var member in members)
            {
                body.Append(
                    $"<tr><td>{E(member.GetValueOrDefault("name"))}</td><td>{E(Code("relation", member.GetValueOrDefault("relation_to_head")))}</td>"
                    + $"<td>{E(Code("gender", member.GetValueOrDefault("gender")))}</td><td>{E(member.GetValueOrDefault("birth_date"))}</td><td>{E(member.GetValueOrDefault("id_number"))}</td></tr>");
            }

            body.Append("</tbody></table><p>特此证明。</p>");
        }

        body.Append(
            $"<p class=\"issuer\">{E(communityName)}居民委员会（盖章）<br>{E(date)}</p>"
            + "<p class=\"note\">本证明依据社区数据池信息生成，仅用于证明上述事项；涂改无效。</p>");
        return $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{E(Kinds[kind])} {E(serial)}</title><style>{Style}</style></head><body>{body}</body></html>";
    }
}
