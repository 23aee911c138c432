using System.Net;
using DataPool.Abstractions;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace DataPool.Connectors.Sql;

/// <summary>
/// Keeps a <c>sql</c> source inside its own database: never the pool's, never another file, never a write.
/// SQLite: opened read-only, and an authorizer lets statements only read (no ATTACH, no VACUUM INTO, no PRAGMA,
/// no load_extension), so a query cannot reach another file. PostgreSQL: sessions default to read-only
/// transactions and the stream reads inside a READ ONLY transaction.
/// </summary>
internal static class SqlSandbox
{
    private const int Ok = 0;
    private const int Deny = 1;

    // SQLite's authorizer action codes (sqlite3.h) that a read needs.
    private const int ReadColumn = 20;
    private const int SelectStatement = 21;
    private const int CallFunction = 31;
    private const int RecursiveCte = 33;

    private static readonly delegate_authorizer Authorizer = Authorize;

    /// <summary>Installs the read-only authorizer on an open connection: what fails is a statement, with "not authorized".</summary>
    public static void Guard(SqliteConnection connection) => raw.sqlite3_set_authorizer(connection.Handle, Authorizer, null);

    /// <summary>Refuses a SQLite file among the pool's own (the embedded store's data folder, not its sub-folders).</summary>
    public static void RefusePool(string resolvedFile, string shown, PoolStoreLocation? pool)
    {
        if (pool?.DataDirectory is { } data && Path.GetDirectoryName(resolvedFile) == RealPaths.Resolve(Path.GetFullPath(data)))
        {
            throw new ConnectorException($"settings.connection: '{shown}' is one of the pool's own database files; a source cannot read the pool");
        }
    }

    /// <summary>Refuses the pool's own PostgreSQL database: the same server (host and port) and database name.</summary>
    public static void RefusePool(NpgsqlConnectionStringBuilder source, PoolStoreLocation? pool)
    {
        if (pool?.PostgresConnection is not { Length: > 0 } connection)
        {
            return;
        }

        var own = new NpgsqlConnectionStringBuilder(connection);
        if (source.Port == own.Port && string.Equals(DatabaseOf(source), DatabaseOf(own), StringComparison.Ordinal) && SameHost(source.Host!, own.Host ?? "localhost"))
        {
            throw new ConnectorException("settings.connection: this is the pool's own database; a source cannot read the pool");
        }
    }

    /// <summary>Every session of the source's connection starts its transactions read-only.</summary>
    public static void ReadOnly(NpgsqlConnectionStringBuilder builder) =>
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c default_transaction_read_only=on"
            : builder.Options + " -c default_transaction_read_only=on";

    private static string? DatabaseOf(NpgsqlConnectionStringBuilder builder) => builder.Database ?? builder.Username;

    /// <summary>Same name, or names of the same addresses (localhost and 127.0.0.1 are one server).</summary>
    private static bool SameHost(string a, string b)
    {
        var first = a.Split(',')[0].Trim();
        var second = b.Split(',')[0].Trim();
        if (string.Equals(first, second, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            var left = Addresses(first);
            return Addresses(second).Any(left.Contains);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            return false;
        }
    }

    private static HashSet<IPAddress> Addresses(string host)
    {
        var addresses = IPAddress.TryParse(host, out var address) ? [address] : Dns.GetHostAddresses(host);
        // Any loopback address stands for this machine's server.
        return addresses.Select(a => IPAddress.IsLoopback(a) ? IPAddress.Loopback : a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToHashSet();
    }

    private static int Authorize(object userData, int action, utf8z first, utf8z second, utf8z database, utf8z trigger) => action switch
    {
        SelectStatement or ReadColumn or RecursiveCte => Ok,
        CallFunction when !string.Equals(second.utf8_to_string(), "load_extension", StringComparison.OrdinalIgnoreCase) => Ok,
        _ => Deny,
    };
}
