using System.CommandLine;
using System.Globalization;
using DataPool.Core.Identity;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>keys create|list|revoke --user NAME</c>: a user's API keys for programs (header <c>X-Api-Key</c>).
/// <c>create</c> prints the key alone on standard output, once: only its hash is kept.
/// </summary>
public static class KeysCommand
{
    public static Command Create() => new("keys", "Create, list or revoke a user's API keys")
    {
        CreateVerb(),
        ListVerb(),
        RevokeVerb(),
    };

    private static Option<string> UserOption() => new("--user") { Description = "The user's name", Required = true };

    private static Command CreateVerb()
    {
        var user = UserOption();
        var command = new Command("create", "Create an API key for a user and print it (shown once)") { user };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var name = parse.GetValue(user)!;
            if (await services.GetRequiredService<ApiKeys>().CreateAsync(name, ct) is not { } key)
            {
                await Console.Error.WriteLineAsync($"keys create: there is no user named '{name}'");
                return ExitCodes.Failed;
            }

            Console.WriteLine(key.Key);
            await Console.Error.WriteLineAsync($"key {key.Prefix} for '{name}': store it now, it is not shown again");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command ListVerb()
    {
        var user = UserOption();
        var command = new Command("list", "List a user's API keys by prefix") { user };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var name = parse.GetValue(user)!;
            if (await services.GetRequiredService<ApiKeys>().ListAsync(name, ct) is not { } keys)
            {
                await Console.Error.WriteLineAsync($"keys list: there is no user named '{name}'");
                return ExitCodes.Failed;
            }

            foreach (var key in keys)
            {
                Console.WriteLine($"{key.Prefix} created={Date(key.CreatedAt)} last_used={Date(key.LastUsedAt)} {(key.RevokedAt is { } at ? $"revoked={Date(at)}" : "active")}");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command RevokeVerb()
    {
        var user = UserOption();
        var prefix = new Option<string>("--prefix") { Description = "The key's prefix (as `keys list` shows it)", Required = true };
        var command = new Command("revoke", "Revoke one of a user's API keys") { user, prefix };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var name = parse.GetValue(user)!;
            var which = parse.GetValue(prefix)!;
            if (!await services.GetRequiredService<ApiKeys>().RevokeAsync(name, which, ct))
            {
                await Console.Error.WriteLineAsync($"keys revoke: '{name}' has no active key with prefix '{which}'");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"revoked {which}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static string Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
}
