using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataPool.Core.Store;

namespace DataPool.Core.Identity;

/// <summary>A key as listed: its prefix and dates, never the secret or its hash.</summary>
public sealed record ApiKeyInfo(string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>A key just created: <see cref="Key"/> is shown this once and cannot be recovered.</summary>
public sealed record NewApiKey(string User, string Prefix, string Key, DateTimeOffset CreatedAt);

/// <summary>A presented key that matched: whose it is, and when it was last recorded as used.</summary>
public sealed record ApiKeyMatch(UserAccount User, string Prefix, DateTimeOffset? LastUsedAt);

/// <summary>
/// A presented key checked: <see cref="Match"/> when it is valid; else <see cref="KnownPrefix"/> when its prefix names an
/// existing key (a wrong secret, or a revoked key), null when the prefix is unknown or the key malformed.
/// </summary>
public sealed record ApiKeyAttempt(ApiKeyMatch? Match, string? KnownPrefix)
{
    public static readonly ApiKeyAttempt Unknown = new(null, null);
}

/// <summary>
/// Per-user API keys for programs: <c>dp_&lt;prefix&gt;_&lt;secret&gt;</c>, 32 random bytes of secret. Only a SHA-256 hash is
/// stored: the secret is high-entropy, so a slow password hash would add nothing but cost on every request.
/// The prefix is stored in clear to find the row and to name the key in lists.
/// A key that matched is remembered for <see cref="CacheLifetime"/> (its hash, owner and last use), so a busy program
/// costs one lookup per key every few seconds instead of one per request. A revocation or a disabled user in this
/// process empties the cache at once (<see cref="CredentialChanges"/>); one made elsewhere (the command line, another
/// node) applies within <see cref="CacheLifetime"/>. Keys that fail are never cached: each is looked up again.
/// </summary>
public sealed class ApiKeys(PoolDatabase database, TimeProvider clock, CredentialChanges changes)
{
    /// <summary>How long a key that matched is believed without asking the database again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private sealed record Cached(byte[] Hash, ApiKeyMatch Match, long Changes, DateTimeOffset Until);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _recording = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Cached> _matched = new(StringComparer.Ordinal);

    private const string Marker = "dp_";
    private const int PrefixLength = 8;

    /// <summary>Creates a key for the user; null when there is no such user.</summary>
    public async Task<NewApiKey?> CreateAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var userId = await UserIdAsync(connection, userName, cancellationToken);
        if (userId is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        while (true)
        {
            var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));
            var key = $"{Marker}{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
            // Prefixes are random; on the rare collision with an existing one, draw again.
            var inserted = await connection.ExecuteAsync(
                """
                INSERT INTO dp_api_keys (user_id, prefix, key_hash, created_at)
                VALUES (@user, @prefix, @hash, @now)
                ON CONFLICT (prefix) DO NOTHING
                """,
                cancellationToken: cancellationToken,
                parameters: [("@user", userId), ("@prefix", prefix), ("@hash", Hash(key)), ("@now", Text(now))]);
            if (inserted == 1)
            {
                return new NewApiKey(userName, prefix, key, now);
            }
        }
    }

    /// <summary>The user's keys, newest first; null when there is no such user.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>?> ListAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var userId = await UserIdAsync(connection, userName, cancellationToken);
        if (userId is null)
        {
            return null;
        }

        await using var command = connection.Command(
            "SELECT prefix, created_at, revoked_at, last_used_at FROM dp_api_keys WHERE user_id = @user ORDER BY id DESC", null, ("@user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyInfo(reader.GetString(0), Parse(reader.GetString(1))!.Value, Parse(reader.GetNullableString(2)), Parse(reader.GetNullableString(3))));
        }

        return keys;
    }

    /// <summary>Revokes the user's key with that prefix; false when the user has no such key that is still active.</summary>
    public async Task<bool> RevokeAsync(string userName, string prefix, CancellationToken cancellationToken = default)
    {
        if (prefix.StartsWith(Marker, StringComparison.Ordinal))
        {
            prefix = prefix[Marker.Length..];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(
            """
            UPDATE dp_api_keys SET revoked_at = @now
            WHERE prefix = @prefix AND revoked_at IS NULL AND user_id = (SELECT id FROM dp_users WHERE name = @name)
            """,
            cancellationToken: cancellationToken,
            parameters: [("@now", Text(clock.GetUtcNow())), ("@prefix", prefix), ("@name", userName)]);
        changes.Changed();
        return revoked == 1;
    }

    /// <summary>The key's owner when the key is well-formed, known, not revoked and its user enabled; else whether its prefix exists.</summary>
    public async Task<ApiKeyAttempt> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!TryParsePrefix(presented, out var prefix))
        {
            return ApiKeyAttempt.Unknown;
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var now = clock.GetUtcNow();
        var count = changes.Count;
        if (_matched.TryGetValue(prefix, out var cached) && cached.Changes == count && now < cached.Until
            && CryptographicOperations.FixedTimeEquals(cached.Hash, presentedHash))
        {
            return new ApiKeyAttempt(cached.Match, prefix);
        }

        ApiKeyAttempt attempt;
        await using (var lease = await database.ReadAsync(cancellationToken))
        await using (var command = lease.Connection.Command(
            $"""
            SELECT {UserAccounts.Columns}, k.key_hash, k.revoked_at, k.last_used_at
            FROM dp_api_keys k JOIN dp_users u ON u.id = k.user_id
            WHERE k.prefix = @prefix
            """,
            null,
            ("@prefix", prefix)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return ApiKeyAttempt.Unknown;
            }

            var user = UserAccounts.Read(reader);
            var matches = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(reader.GetString(8)), presentedHash);
            attempt = !matches || !reader.IsDBNull(9) || user.Disabled
                ? new ApiKeyAttempt(null, prefix)
                : new ApiKeyAttempt(new ApiKeyMatch(user, prefix, Parse(reader.GetNullableString(10))), prefix);
        }

        if (attempt.Match is { } match)
        {
            // Cached under the count read before the lookup: a change during it leaves the entry unused.
            _matched[prefix] = new Cached(presentedHash, match, count, now + CacheLifetime);
        }
        else
        {
            _matched.TryRemove(prefix, out _);
        }

        return attempt;
    }

    /// <summary>Records that the key was used now; skipped while an earlier record of the same key is still waiting.</summary>
    public async Task RecordUseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // During a sync on SQLite the write waits for the lock, and the key's last use stays unrecorded, so every
        // request of the key would start one more waiting write, each holding a thread (SQLite's calls block):
        // 200 requests starved the thread pool and reads of the pool hung. One waiting write per key is enough.
        if (!_recording.TryAdd(prefix, 0))
        {
            return;
        }

        try
        {
            var now = clock.GetUtcNow();
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                "UPDATE dp_api_keys SET last_used_at = @now WHERE prefix = @prefix",
                cancellationToken: cancellationToken,
                parameters: [("@now", Text(now)), ("@prefix", prefix)]);
            // The cached match must know of this use too, or every request would record it again.
            if (_matched.TryGetValue(prefix, out var cached))
            {
                _matched.TryUpdate(prefix, cached with { Match = cached.Match with { LastUsedAt = now } }, cached);
            }
        }
        finally
        {
            _recording.TryRemove(prefix, out _);
        }
    }

    /// <summary>The prefix of a well-formed key (<c>dp_</c>, 8 hex digits, <c>_</c>, the secret); anything else is refused unread.</summary>
    private static bool TryParsePrefix(string key, out string prefix)
    {
        prefix = "";
        if (key.Length is < 20 or > 100 || !key.StartsWith(Marker, StringComparison.Ordinal) || key[Marker.Length + PrefixLength] != '_')
        {
            return false;
        }

        prefix = key.Substring(Marker.Length, PrefixLength);
        return prefix.All(char.IsAsciiHexDigitLower);
    }

    private static async Task<long?> UserIdAsync(System.Data.Common.DbConnection connection, string name, CancellationToken cancellationToken) =>
        await connection.ScalarAsync<long?>("SELECT id FROM dp_users WHERE name = @name", cancellationToken: cancellationToken, parameters: [("@name", name)]);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Text(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
