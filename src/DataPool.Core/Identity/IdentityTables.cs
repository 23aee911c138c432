using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Identity;

/// <summary>
/// The users, their API keys and their security state (session stamp, failed sign-ins, lock; a table of its
/// own so pools made before it need no change to <c>dp_users</c>). Timestamps are ISO-8601 UTC text and flags are 0/1 integers, as in the pool's
/// own tables, so the same SQL runs on SQLite and PostgreSQL.
/// </summary>
public sealed class IdentityTables : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_users (
            id {AutoId},
            name TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'worker', 'analyst')),
            community_code TEXT,
            department TEXT,
            password_hash TEXT NOT NULL,
            disabled {BigInt} NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS dp_api_keys (
            id {AutoId},
            user_id {BigInt} NOT NULL REFERENCES dp_users (id),
            prefix TEXT NOT NULL UNIQUE,
            key_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            last_used_at TEXT);
        CREATE INDEX IF NOT EXISTS ix_dp_api_keys_user ON dp_api_keys (user_id);

        CREATE TABLE IF NOT EXISTS dp_user_security (
            user_id {BigInt} PRIMARY KEY REFERENCES dp_users (id),
            stamp TEXT NOT NULL,
            failures {BigInt} NOT NULL DEFAULT 0,
            lockouts {BigInt} NOT NULL DEFAULT 0,
            locked_until TEXT);
        """;

    public async Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(
            Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt),
            transaction,
            cancellationToken);
}
