using DataPool.Core.History;
using DataPool.Core.Schema;
using FluentValidation;

namespace DataPool.Server.Pool;

/// <summary>The query of <c>GET /api/pool/{entity}/changes</c>: from which cursor, how many items, which types (comma-separated).</summary>
public sealed record ChangeFeedRequest(string Entity, string? Since, int Limit, string? Types)
{
    public const int MaxLimit = 1_000;

    /// <summary>The requested types; null: every type.</summary>
    public IReadOnlySet<string>? TypeSet => string.IsNullOrWhiteSpace(Types)
        ? null
        : Types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

public sealed class ChangeFeedRequestValidator : AbstractValidator<ChangeFeedRequest>
{
    public ChangeFeedRequestValidator(SchemaCatalog catalog)
    {
        RuleFor(r => r.Entity).Must(catalog.Entities.ContainsKey).WithMessage(r => $"'{r.Entity}' is not a pool entity");
        RuleFor(r => r.Since).Must(s => ChangeFeed.TryParseCursor(s, out _)).WithMessage("a cursor is the 'next' value of an earlier page");
        RuleFor(r => r.Limit).InclusiveBetween(1, ChangeFeedRequest.MaxLimit);
        RuleForEach(r => r.TypeSet).Must(ChangeTypes.All.Contains).OverridePropertyName("types")
            .WithMessage((_, type) => $"'{type}' is not a change type; use {string.Join(", ", ChangeTypes.All)}");
    }
}
