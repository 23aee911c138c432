using System.CommandLine;
using DataPool.Core.Store;

namespace DataPool.Server.Cli;

/// <summary>Options every verb takes; each also has a configuration key (environment variable) for servers.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Folder of the embedded pool (default ./data; env DataPool__Data)",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "sqlite (default) or postgres (env DataPool__Store__Provider)",
        Recursive = true,
    };

    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "Connection string of a server store (env ConnectionStrings__Pool)",
        Recursive = true,
    };

    public static readonly Option<string?> Schemas = new("--schemas")
    {
        Description = "Folder of the schema files (default: the one shipped with the program)",
        Recursive = true,
    };

    public static StoreOptions StoreOptions(ParseResult result)
    {
        var provider = result.GetValue(Store) ?? Environment.GetEnvironmentVariable("DataPool__Store__Provider") ?? Core.Store.StoreOptions.Sqlite;
        return new StoreOptions
        {
            Provider = provider.ToLowerInvariant(),
            Connection = result.GetValue(Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__Pool"),
            DataDirectory = result.GetValue(Data) ?? Environment.GetEnvironmentVariable("DataPool__Data") ?? "data",
            SqliteCacheMegabytes = int.TryParse(Environment.GetEnvironmentVariable("DataPool__Store__SqliteCacheMegabytes"), out var cache) && cache > 0
                ? cache
                : Core.Store.StoreOptions.DefaultSqliteCacheMegabytes,
            ReadTimeoutSeconds = ReadTimeoutSeconds(Environment.GetEnvironmentVariable("DataPool__Store__ReadTimeoutSeconds"), Core.Store.StoreOptions.DefaultReadTimeoutSeconds),
        };
    }

    /// <summary>The configuration key of <see cref="Core.Store.StoreOptions.ReadTimeoutSeconds"/>.</summary>
    public const string ReadTimeoutKey = "DataPool:Store:ReadTimeoutSeconds";

    /// <summary>A whole number of seconds, at least 1; anything else stops the program rather than being ignored.</summary>
    public static int ReadTimeoutSeconds(string? value, int unset) =>
        value is null ? unset
        : int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds
        : throw new InvalidOperationException($"{ReadTimeoutKey} must be a whole number of seconds, at least 1 (it is '{value}')");
}
