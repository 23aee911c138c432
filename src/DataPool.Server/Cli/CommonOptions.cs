using System.CommandLine;

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

    /// <summary>
    /// The flags given, as the configuration keys they stand for; the verbs' configuration is the environment with these
    /// over it, the server's its usual sources with these over them.
    /// </summary>
    public static Dictionary<string, string?> Settings(ParseResult result)
    {
        var settings = new Dictionary<string, string?>();
        Put(settings, $"{Core.Store.StoreOptions.Section}:Provider", result.GetValue(Store)?.ToLowerInvariant());
        Put(settings, Core.Store.StoreOptions.ConnectionKey, result.GetValue(Connection));
        Put(settings, Core.Store.StoreOptions.DataKey, result.GetValue(Data));
        Put(settings, Core.Store.StoreOptions.SchemasKey, result.GetValue(Schemas));
        return settings;
    }

    private static void Put(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }
}
