using DataPool.Abstractions;

namespace DataPool.Core.Sources;

/// <summary>One problem of a source definition, located by a JSON path such as <c>$.streams[0].fields.gender.codes</c>.</summary>
public sealed record DefinitionError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A source definition as read from its file.</summary>
/// <param name="Definition">The validated definition.</param>
/// <param name="File">The definition file's full path.</param>
/// <param name="BaseDirectory">The file's folder: relative paths in the settings resolve against it.</param>
/// <param name="Json">The file's text as written (comments kept), e.g. for storing or showing it.</param>
public sealed record LoadedSource(SourceDefinition Definition, string File, string BaseDirectory, string Json)
{
    /// <summary>What a connector reads one stream with: the source's settings with the stream's merged over them, secrets resolved.</summary>
    public ConnectorContext ContextFor(StreamDefinition stream, string? cursor = null) =>
        new(Definition, stream, SourceSettings.ResolveSecrets(SourceSettings.Merge(Definition.Settings, stream.Settings)), BaseDirectory, cursor);

    /// <summary>
    /// The message with every secret of this source's settings masked: the values its <c>${env:…}</c> references
    /// resolve to, and passwords in connection strings and URLs. For any message built by a connector from settings.
    /// </summary>
    public string MaskSecrets(string message) =>
        SourceSettings.MaskSecrets(message, [Definition.Settings, .. Definition.Streams.Select(s => s.Settings ?? default)]);
}

/// <summary>
/// A source definition that cannot be used. Carries every problem found, not just the first, so a
/// person fixing the file sees the whole list at once; the message has one line per problem.
/// </summary>
public sealed class SourceDefinitionException : Exception
{
    public SourceDefinitionException(string? origin, IReadOnlyList<DefinitionError> errors)
        : base(Format(origin, errors))
    {
        Origin = origin;
        Errors = errors;
    }

    /// <summary>Where the definition came from (a file path, <c>api</c>, …); null when unknown.</summary>
    public string? Origin { get; }

    public IReadOnlyList<DefinitionError> Errors { get; }

    /// <summary>The same errors, attributed to <paramref name="origin"/> (for helpers that do not know the file).</summary>
    public SourceDefinitionException WithOrigin(string origin) => new(origin, Errors);

    private static string Format(string? origin, IReadOnlyList<DefinitionError> errors)
    {
        var prefix = string.IsNullOrEmpty(origin) ? "" : origin + ": ";
        return errors.Count == 0
            ? prefix + "invalid source definition"
            : string.Join(Environment.NewLine, errors.Select(e => $"{prefix}{e.Path}: {e.Message}"));
    }
}
