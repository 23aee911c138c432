using DataPool.Core.Values;

namespace DataPool.Server.Sources;

/// <summary>
/// <c>DataPool:Text:ControlCharacters</c> (environment: <c>DataPool__Text__ControlCharacters</c>): <c>strip</c> (the
/// default) or <c>reject</c>, read the same way by the server and the command line so a sync cleans text alike
/// wherever it runs. Another value stops the start with a message naming the key.
/// </summary>
public static class TextSettings
{
    public const string ControlCharactersKey = "DataPool:Text:ControlCharacters";

    public static TextOptions Read(IConfiguration configuration) => configuration[ControlCharactersKey] switch
    {
        null or "" => TextOptions.Default,
        var value when Enum.TryParse<ControlCharacterPolicy>(value, ignoreCase: true, out var policy) && !int.TryParse(value, out _) => new TextOptions(policy),
        var value => throw new InvalidOperationException($"{ControlCharactersKey}: '{value}' is not strip or reject"),
    };
}
