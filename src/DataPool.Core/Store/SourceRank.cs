namespace DataPool.Core.Store;

/// <summary>What survivorship needs to know of a source; <paramref name="Kind"/> tells a form (a worker's entry) from a department's system.</summary>
public sealed record SourceRank(int Priority, string Department, string Kind = "")
{
    /// <summary>The connector kind of form sources (the community form, accepted correction requests).</summary>
    public const string FormKind = "form";

    public bool IsForm => Kind == FormKind;
}
