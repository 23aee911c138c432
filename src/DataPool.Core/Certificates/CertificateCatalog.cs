using System.Text.Json;
using DataPool.Core.Schema;
using FluentValidation;

namespace DataPool.Core.Certificates;

/// <summary>What answers the need a certificate kind used to serve.</summary>
public static class Replacements
{
    /// <summary>One of the four certificates that remain, generated from the pool.</summary>
    public const string Issued = "issued";

    /// <summary>The asking department checks a claim against the pool (<c>POST /api/verify</c>).</summary>
    public const string Verification = "verification";

    /// <summary>The applicant's written promise (告知承诺).</summary>
    public const string Promise = "promise";

    /// <summary>No longer asked for.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Issued, Verification, Promise, Cancelled };
}

/// <summary>A text in both languages the product speaks.</summary>
public sealed record Bilingual(string Zh, string En);

/// <summary>
/// One kind of certificate communities used to issue: who asked for it and why, how often a year in one community, and
/// what replaces it. <see cref="Issues"/> names the generated certificate of an <c>issued</c> kind, <see cref="Claim"/>
/// the verification claim that answers a <c>verification</c> kind.
/// </summary>
public sealed record CertificateKind(string Id, Bilingual Name, string AskedBy, Bilingual Purpose, decimal PerYear, string Replacement,
    string? Issues = null, string? Claim = null);

/// <summary>
/// <c>schemas/certificates/catalog.json</c>: every kind of certificate communities used to issue, validated at start with
/// errors naming the JSON path. The burden ledger counts it; the four <c>issued</c> kinds are generated from the pool.
/// </summary>
public sealed class CertificateCatalog(IReadOnlyList<CertificateKind> kinds)
{
    public const string File = "certificates/catalog.json";

    /// <summary>The four certificates that remain (Beijing, 2019), each generated from the pool.</summary>
    public static readonly IReadOnlySet<string> IssuedKinds = new HashSet<string>(StringComparer.Ordinal)
        { "land-contract", "deceased-relationship", "inheritance-kinship", "guardianship" };

    /// <summary>The yes/no questions a department may ask of the pool instead of asking for a certificate.</summary>
    public static readonly IReadOnlySet<string> Claims = new HashSet<string>(StringComparer.Ordinal)
    {
        "lives-in-community", "is-alive", "is-child-of", "is-spouse-of", "is-parent-of", "receives-dibao",
        "disability-grade-at-most", "registered-unemployed", "special-care-recipient",
    };

    public IReadOnlyList<CertificateKind> Kinds { get; } = kinds;

    public static CertificateCatalog Load(string schemasRoot)
    {
        var path = Path.Combine(schemasRoot, File);
        if (!System.IO.File.Exists(path))
        {
            throw new SchemaException($"{File}: not found (the catalog of certificate kinds)");
        }

        CatalogFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<CatalogFile>(System.IO.File.ReadAllText(path), SchemaCatalog.Json);
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{File}: {e.Path}: {e.Message}", e);
        }

        var result = new CatalogFileValidator().Validate(parsed ?? new CatalogFile(null));
        var errors = result.Errors.Select(e => $"{File}: $.{e.PropertyName}: {e.ErrorMessage}").ToList();
        var kinds = parsed?.Certificates ?? [];
        errors.AddRange(kinds.GroupBy(k => k.Id).Where(g => g.Count() > 1).Select(g => $"{File}: certificate id '{g.Key}' is used {g.Count()} times"));
        var issued = kinds.Where(k => k.Replacement == Replacements.Issued).Select(k => k.Issues).OfType<string>().ToHashSet(StringComparer.Ordinal);
        errors.AddRange(IssuedKinds.Where(k => !issued.Contains(k)).Select(k => $"{File}: no kind is issued as '{k}', one of the four certificates that remain"));
        if (errors.Count > 0)
        {
            throw new SchemaException(string.Join(Environment.NewLine, errors));
        }

        return new CertificateCatalog(kinds);
    }

    private sealed record CatalogFile(IReadOnlyList<CertificateKind>? Certificates);

    private sealed class CatalogFileValidator : AbstractValidator<CatalogFile>
    {
        public CatalogFileValidator()
        {
            RuleFor(f => f.Certificates).NotEmpty().WithMessage("the catalog lists its kinds in \"certificates\"");
            RuleForEach(f => f.Certificates).SetValidator(new KindValidator()).OverridePropertyName("certificates");
        }
    }

    private sealed class KindValidator : AbstractValidator<CertificateKind>
    {
        public KindValidator()
        {
            RuleFor(k => k.Id).Matches("^[a-z0-9][a-z0-9-]*$").OverridePropertyName("id").WithMessage("an id is [a-z0-9-]");
            RuleFor(k => k.Name).Must(n => n is { Zh.Length: > 0, En.Length: > 0 }).OverridePropertyName("name").WithMessage("a kind has its name in zh and en");
            RuleFor(k => k.Purpose).Must(n => n is { Zh.Length: > 0, En.Length: > 0 }).OverridePropertyName("purpose").WithMessage("what the certificate was asked for, in zh and en");
            RuleFor(k => k.AskedBy).Matches("^[a-z0-9][a-z0-9-]*$").OverridePropertyName("askedBy").WithMessage("who asked for it: a department id, [a-z0-9-]");
            RuleFor(k => k.PerYear).GreaterThan(0).OverridePropertyName("perYear").WithMessage("how many a year one community issued: more than 0");
            RuleFor(k => k.Replacement).Must(Replacements.All.Contains).OverridePropertyName("replacement")
                .WithMessage(k => $"'{k.Replacement}' is not one of {string.Join(", ", Replacements.All)}");
            RuleFor(k => k.Issues).Must(i => i is not null && IssuedKinds.Contains(i)).When(k => k.Replacement == Replacements.Issued).OverridePropertyName("issues")
                .WithMessage(k => $"an issued kind names the certificate generated for it, one of {string.Join(", ", IssuedKinds)} (not '{k.Issues}')");
            RuleFor(k => k.Issues).Null().When(k => k.Replacement != Replacements.Issued).OverridePropertyName("issues")
                .WithMessage("only an issued kind names a generated certificate");
            RuleFor(k => k.Claim).Must(c => c is not null && Claims.Contains(c)).When(k => k.Replacement == Replacements.Verification).OverridePropertyName("claim")
                .WithMessage(k => $"a verified kind names the claim that answers it, one of {string.Join(", ", Claims)} (not '{k.Claim}')");
        }
    }
}
