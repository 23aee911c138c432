using System.Text.Json;

namespace DataPool.Abstractions;

/// <summary>Everything a connector needs to read one stream.</summary>
/// <param name="Source">The source definition.</param>
/// <param name="Stream">The stream being read.</param>
/// <param name="Settings">The source's settings with the stream's own settings merged over them, secrets resolved.</param>
/// <param name="BaseDirectory">The folder relative paths resolve against (the definition file's folder).</param>
/// <param name="Cursor">For an incremental stream, the last checkpointed cursor value; null on a first run.</param>
public sealed record ConnectorContext(
    SourceDefinition Source,
    StreamDefinition Stream,
    JsonElement Settings,
    string BaseDirectory,
    string? Cursor = null)
{
    /// <summary>Where the connector may say how big the stream is and how far it has read (optional; see <see cref="ReadProgress"/>).</summary>
    public ReadProgress Progress { get; init; } = new();

    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Binds the merged settings to a connector's settings record (camelCase JSON names).</summary>
    public T Bind<T>() => Settings.Deserialize<T>(SettingsJson)
        ?? throw new ConnectorException($"source '{Source.Id}': settings are missing");

    /// <summary>
    /// Resolves a path from the settings against <see cref="BaseDirectory"/>, following every symbolic link in
    /// it; a path that escapes that folder (absolute, through <c>..</c>, or through a link pointing elsewhere) is
    /// refused. The answer is the real path: the file opened is the file checked.
    /// </summary>
    public string ResolvePath(string path, string settingName = "path")
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ConnectorException($"settings.{settingName}: a path is required");
        }

        var lexicalRoot = Path.GetFullPath(BaseDirectory);
        var lexical = Path.GetFullPath(Path.Combine(lexicalRoot, path));
        string root, full;
        try
        {
            root = RealPaths.Resolve(lexicalRoot);
            full = RealPaths.Resolve(lexical);
        }
        catch (IOException)
        {
            throw new ConnectorException($"settings.{settingName}: '{path}' leads through a loop of links");
        }

        if (!RealPaths.IsUnder(lexical, lexicalRoot) || !RealPaths.IsUnder(full, root))
        {
            throw new ConnectorException($"settings.{settingName}: '{path}' is outside the source's folder");
        }

        return full;
    }
}

/// <summary>A failure of a whole stream (bad file, bad settings) with a message fit for the person running it.</summary>
public class ConnectorException(string message, Exception? inner = null) : Exception(message, inner);
