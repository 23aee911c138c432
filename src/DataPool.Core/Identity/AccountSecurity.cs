using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using DataPool.Core.Store;

namespace DataPool.Core.Identity;

/// <summary>
/// How many wrong passwords in a row lock an account and for how long (<c>DataPool:RateLimits:LockoutFailures</c>,
/// <c>…:LockoutMinutes</c>). Each further lock before a successful sign-in lasts twice as long, up to a day.
/// </summary>
public sealed record LockoutPolicy(int Failures, TimeSpan Duration)
{
    public static readonly LockoutPolicy Default = new(5, TimeSpan.FromMinutes(15));

    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>How long the <paramref name="lockout"/>-th lock in a row (1 = the first) lasts.</summary>
    public TimeSpan LockFor(long lockout) =>
        TimeSpan.FromTicks((long)Math.Min(Longest.Ticks, Duration.Ticks * Math.Pow(2, Math.Clamp(lockout - 1, 0, 16))));
}

/// <summary>A successful sign-in: the user and the security stamp their session cookie carries.</summary>
public sealed record SignedIn(UserAccount User, string Stamp);

/// <summary>
/// Per-account security (<c>dp_user_security</c>): the security stamp a session cookie must match, so logout,
/// disabling and unlocking revoke cookies on the server and not only in the browser; and the count of wrong
/// passwords that locks the account, whichever address they came from.
/// </summary>
public sealed class AccountSecurity(PoolDatabase database, UserAccounts accounts, TimeProvider clock, LockoutPolicy policy)
{
    /// <summary>
    /// The user and a stamp when the password is right and the account neither disabled nor locked; null otherwise,
    /// one answer whichever it was. During a lock even the right password is refused and nothing is counted.
    /// </summary>
    public async Task<SignedIn?> SignInAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        var known = await accounts.FindAsync(name, cancellationToken);
        // Always verified, so a locked or unknown account costs the same time as a wrong password.
        var verified = await accounts.VerifyPasswordAsync(name, password, cancellationToken);
        if (known is null)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureAsync(connection, known.Id, cancellationToken);
        var (_, _, lockedUntil) = await StateAsync(connection, known.Id, cancellationToken);
        if (lockedUntil is { } until && until > clock.GetUtcNow())
        {
            return null;
        }

        if (verified is null)
        {
            await RecordFailureAsync(connection, known.Id, cancellationToken);
            return null;
        }

        // A successful sign-in ends the run of failures, and the next lock starts short again.
        await ResetAsync(connection, known.Id, cancellationToken);
        var stamp = await connection.ScalarAsync<string>(
            "SELECT stamp FROM dp_user_security WHERE user_id = @id", cancellationToken: cancellationToken, parameters: [("@id", known.Id)]);
        return new SignedIn(verified, stamp!);
    }

    /// <summary>The user behind a session and the stamp it must carry; null when the user is gone or never signed in.</summary>
    public async Task<SignedIn?> SessionAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {UserAccounts.Columns}, s.stamp FROM dp_users u JOIN dp_user_security s ON s.user_id = u.id WHERE u.name = @name",
            null,
            ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SignedIn(UserAccounts.Read(reader), reader.GetString(8)) : null;
    }

    /// <summary>Ends every session of the user: their cookies no longer match the stamp.</summary>
    public async Task RevokeSessionsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await RotateStampAsync(connection, userId, cancellationToken);
    }

    /// <summary>Lifts a lock and forgets the failures and earlier locks; null when there is no such user.</summary>
    public async Task<UserAccount?> UnlockAsync(string name, CancellationToken cancellationToken = default)
    {
        if (await accounts.FindAsync(name, cancellationToken) is not { } user)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await ResetAsync(connection, user.Id, cancellationToken);
        return user;
    }

    /// <summary>When the user's lock ends; null when not locked (or unknown).</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.ScalarAsync<string>(
            "SELECT s.locked_until FROM dp_user_security s JOIN dp_users u ON u.id = s.user_id WHERE u.name = @name",
            cancellationToken: cancellationToken,
            parameters: [("@name", name)]);
        return Parse(text) is { } until && until > clock.GetUtcNow() ? until : null;
    }

    /// <summary>A new random stamp for the user (in the caller's connection): every cookie issued before stops working.</summary>
    internal static Task RotateStampAsync(DbConnection connection, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "UPDATE dp_user_security SET stamp = @stamp WHERE user_id = @id",
            cancellationToken: cancellationToken,
            parameters: [("@stamp", NewStamp()), ("@id", userId)]);

    private async Task RecordFailureAsync(DbConnection connection, long userId, CancellationToken cancellationToken)
    {
        // Counted in the database, not read-then-written, so parallel guesses cannot each see a low count.
        await connection.ExecuteAsync(
            "UPDATE dp_user_security SET failures = failures + 1 WHERE user_id = @id",
            cancellationToken: cancellationToken,
            parameters: [("@id", userId)]);
        var (failures, lockouts, _) = await StateAsync(connection, userId, cancellationToken);
        if (failures < policy.Failures)
        {
            return;
        }

        var until = clock.GetUtcNow() + policy.LockFor(lockouts + 1);
        await connection.ExecuteAsync(
            """
            UPDATE dp_user_security SET failures = 0, lockouts = lockouts + 1, locked_until = @until
            WHERE user_id = @id AND failures >= @limit
            """,
            cancellationToken: cancellationToken,
            parameters: [("@until", Text(until)), ("@id", userId), ("@limit", (long)policy.Failures)]);
    }

    private static Task ResetAsync(DbConnection connection, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "UPDATE dp_user_security SET failures = 0, lockouts = 0, locked_until = NULL WHERE user_id = @id",
            cancellationToken: cancellationToken,
            parameters: [("@id", userId)]);

    private static Task EnsureAsync(DbConnection connection, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "INSERT INTO dp_user_security (user_id, stamp, failures, lockouts) VALUES (@id, @stamp, 0, 0) ON CONFLICT (user_id) DO NOTHING",
            cancellationToken: cancellationToken,
            parameters: [("@id", userId), ("@stamp", NewStamp())]);

    private static async Task<(long Failures, long Lockouts, DateTimeOffset? LockedUntil)> StateAsync(
        DbConnection connection, long userId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT failures, lockouts, locked_until FROM dp_user_security WHERE user_id = @id", null, ("@id", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetInt64(1), Parse(reader.GetNullableString(2)))
            : (0, 0, null);
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Text(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
