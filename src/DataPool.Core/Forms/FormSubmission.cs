using System.Globalization;
using System.Text.Json;

namespace DataPool.Core.Forms;

/// <summary>A save of the form (the HTTP contract's PUT body): values by section, and members (pool id null = a new member).</summary>
public sealed record FormSubmission(Dictionary<string, Dictionary<string, JsonElement>>? Sections, IReadOnlyList<MemberSubmission>? Members);

public sealed record MemberSubmission(long? PoolId, bool Remove, Dictionary<string, Dictionary<string, JsonElement>>? Sections);

/// <summary>A value that changed since the ETag the worker saw: what they typed, what the pool holds now, who changed it and when.</summary>
public sealed record FieldChange(string Path, string? Yours, string? Theirs, string? Source, string? At);

/// <summary>What a save came to.</summary>
public abstract record SubmitOutcome
{
    public sealed record Saved(HouseholdForm Form, long? SubmissionId) : SubmitOutcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : SubmitOutcome;
    public sealed record Stale(string CurrentEtag, IReadOnlyList<FieldChange> Changes) : SubmitOutcome;
    public sealed record Failed(string Message) : SubmitOutcome;
}

internal static class JsonText
{
    /// <summary>A submitted value as text, whatever JSON type the client sent it as.</summary>
    public static string? Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.GetRawText(),
    };

    public static string Today() => DateOnly.FromDateTime(DateTime.Today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
