namespace DataPool.Core.Identity;

/// <summary>A user as the API shows it: never the password hash.</summary>
public sealed record UserAccount(
    long Id, string Name, string DisplayName, string Role, string? Community, string? Department, bool Disabled, DateTimeOffset CreatedAt);
