using System.Data.Common;
using System.Globalization;
using DataPool.Core.Store;
using Microsoft.AspNetCore.Identity;

namespace DataPool.Core.Identity;

/// <summary>The users table: create, find, list, disable, and check a password (hashed with ASP.NET Core's PBKDF2 hasher).</summary>
public sealed class UserAccounts(PoolDatabase database, TimeProvider clock, CredentialChanges changes)
{
    internal const string Columns = "u.id, u.name, u.display_name, u.role, u.community_code, u.department, u.disabled, u.created_at";

    private static readonly PasswordHasher<PasswordOwner> Hasher = new();

    /// <summary>
    /// Checked against when the name is unknown, so a wrong name costs the same time as a wrong password
    /// and the timing does not tell which names exist.
    /// </summary>
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(PasswordOwner.Instance, Guid.NewGuid().ToString()));

    /// <summary>Creates the user; null when the name is taken. Validate first (<see cref="NewUser.Validate"/>).</summary>
    public async Task<UserAccount?> CreateAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO dp_users (name, display_name, role, community_code, department, password_hash, disabled, created_at)
            VALUES (@name, @display, @role, @community, @department, @hash, 0, @now)
            ON CONFLICT (name) DO NOTHING
            """,
            cancellationToken: cancellationToken,
            parameters:
            [
                ("@name", user.Name), ("@display", string.IsNullOrWhiteSpace(user.DisplayName) ? user.Name : user.DisplayName.Trim()),
                ("@role", user.Role), ("@community", user.Community), ("@department", user.Department),
                ("@hash", Hasher.HashPassword(PasswordOwner.Instance, user.Password!)), ("@now", Now()),
            ]);
        return inserted == 0 ? null : await FindAsync(connection, user.Name!, cancellationToken);
    }

    public async Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, name, cancellationToken);
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_users u ORDER BY u.name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <summary>Disables (or re-enables) a user: a disabled user can neither sign in nor use any of their keys. Null when unknown.</summary>
    public async Task<UserAccount?> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE dp_users SET disabled = @disabled WHERE name = @name",
            cancellationToken: cancellationToken,
            parameters: [("@disabled", disabled ? 1L : 0L), ("@name", name)]);
        changes.Changed();
        var user = changed == 0 ? null : await FindAsync(connection, name, cancellationToken);
        if (user is not null && disabled)
        {
            // Sessions of a disabled user stay revoked after re-enabling: they sign in again.
            await AccountSecurity.RotateStampAsync(connection, user.Id, cancellationToken);
        }

        return user;
    }

    /// <summary>The user when the name exists, is enabled and the password matches; null otherwise, whichever it was.</summary>
    public async Task<UserAccount?> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns}, u.password_hash FROM dp_users u WHERE u.name = @name", null, ("@name", name));
        UserAccount? user = null;
        var hash = DecoyHash.Value;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                user = Read(reader);
                hash = reader.GetString(8);
            }
        }

        var verdict = Hasher.VerifyHashedPassword(PasswordOwner.Instance, hash, password);
        if (user is null || user.Disabled || verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // The hasher's defaults grew stronger since this hash was made: store one made with today's.
            await connection.ExecuteAsync(
                "UPDATE dp_users SET password_hash = @hash WHERE id = @id",
                cancellationToken: cancellationToken,
                parameters: [("@hash", Hasher.HashPassword(PasswordOwner.Instance, password)), ("@id", user.Id)]);
        }

        return user;
    }

    internal static UserAccount Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetNullableString(4),
        reader.GetNullableString(5),
        reader.GetInt64(6) != 0,
        DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

    private static async Task<UserAccount?> FindAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {Columns} FROM dp_users u WHERE u.name = @name", null, ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private string Now() => clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The hasher is generic over a user type it does not use; this stands in for it.</summary>
    private sealed class PasswordOwner
    {
        public static readonly PasswordOwner Instance = new();
    }
}
