using System.Data.Common;
using System.Globalization;
using DataPool.Core.Store;

namespace DataPool.Core.Certificates;

/// <summary>One issued certificate, as the audit list shows it.</summary>
public sealed record CertificateIssue(long Id, string Serial, string Kind, long PoolId, string? CommunityCode, string IssuedBy, string IssuedAt);

/// <summary>An issued certificate as a serial check finds it: kind, issuing community's name, and its revocation if any.</summary>
public sealed record IssuedSerial(string Serial, string Kind, string? CommunityName, string IssuedAt, string? RevokedAt, string? RevocationReason);

/// <summary>
/// The register of issued certificates (<c>dp_certificates</c>) and their revocations (<c>dp_certificate_revocations</c>):
/// every issue gets a serial, anyone holding one can check it, an admin can revoke it.
/// </summary>
public sealed class CertificateRegister(PoolDatabase database)
{
    /// <summary>The newest issues first (at most 1000).</summary>
    public async Task<List<CertificateIssue>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, serial, kind, pool_id, community_code, issued_by, issued_at FROM dp_certificates ORDER BY id DESC LIMIT 1000");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<CertificateIssue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CertificateIssue(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetNullableString(4), reader.GetString(5), reader.GetString(6)));
        }

        return list;
    }

    /// <summary>Records the issue and returns its serial: year, community, and the issue's own number.</summary>
    public async Task<string> RecordAsync(string kind, long poolId, string? community, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ScalarAsync<long>(
            "INSERT INTO dp_certificates (serial, kind, pool_id, community_code, issued_by, issued_at) VALUES (@pending, @kind, @pool, @community, @by, @at) RETURNING id",
            null, cancellationToken, ("@pending", Guid.NewGuid().ToString("N")), ("@kind", kind), ("@pool", poolId), ("@community", community), ("@by", by),
            ("@at", at.ToString("O", CultureInfo.InvariantCulture)));
        var serial = $"{at.ToOffset(TimeSpan.FromHours(8)):yyyy}-{community ?? "000000000000"}-{id:D6}";
        await connection.ExecuteAsync("UPDATE dp_certificates SET serial = @serial WHERE id = @id", null, cancellationToken, ("@serial", serial), ("@id", id));
        return serial;
    }

    /// <summary>The certificate with the serial and its revocation; null when no certificate has it.</summary>
    public async Task<IssuedSerial?> FindAsync(string serial, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT c.serial, c.kind, m.name, c.issued_at, v.revoked_at, v.reason FROM dp_certificates c
            LEFT JOIN dp_certificate_revocations v ON v.serial = c.serial
            LEFT JOIN {EntityTables.TableName(CertificateData.Community)} m ON m.community_code = c.community_code
            WHERE c.serial = @serial
            """, null, ("@serial", serial));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IssuedSerial(reader.GetString(0), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetNullableString(4), reader.GetNullableString(5))
            : null;
    }

    /// <summary>Revokes the certificate (a second revocation keeps the first); false when no certificate has the serial.</summary>
    public async Task<bool> RevokeAsync(string serial, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM dp_certificates WHERE serial = @serial", null, cancellationToken, ("@serial", serial)) == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "INSERT INTO dp_certificate_revocations (serial, revoked_at, revoked_by, reason) VALUES (@serial, @at, @by, @reason) ON CONFLICT (serial) DO NOTHING",
            null, cancellationToken, ("@serial", serial), ("@at", at.ToString("O", CultureInfo.InvariantCulture)), ("@by", by), ("@reason", reason));
        return true;
    }
}

/// <summary>Creates the register's tables.</summary>
public sealed class CertificateTables : IStoreInitializer
{
    public Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"""
            CREATE TABLE IF NOT EXISTS dp_certificates (
                id {dialect.AutoId},
                serial TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                pool_id {dialect.BigInt} NOT NULL,
                community_code TEXT,
                issued_by TEXT NOT NULL,
                issued_at TEXT NOT NULL);

            CREATE TABLE IF NOT EXISTS dp_certificate_revocations (
                serial TEXT PRIMARY KEY,
                revoked_at TEXT NOT NULL,
                revoked_by TEXT NOT NULL,
                reason TEXT NOT NULL);
            """, transaction, cancellationToken);
}
