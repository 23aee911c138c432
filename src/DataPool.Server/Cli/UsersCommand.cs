using System.CommandLine;
using DataPool.Core.Access;
using DataPool.Core.Identity;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>users add|list|disable|enable|unlock</c>: the accounts of people and programs. <c>users add --role admin</c> is how a
/// new installation gets its first administrator.
/// </summary>
public static class UsersCommand
{
    /// <summary>Read when <c>--password</c> is not given: a password on the command line shows in the process list.</summary>
    public const string PasswordVariable = "DATAPOOL_PASSWORD";

    public static Command Create() => new("users", "Add, list, disable, enable or unlock users")
    {
        UnlockVerb(),
        AddVerb(),
        ListVerb(),
        SetDisabledVerb("disable", disabled: true),
        SetDisabledVerb("enable", disabled: false),
    };

    private static Command AddVerb()
    {
        var name = new Option<string>("--name") { Description = "Sign-in name: lower-case letters, digits, '.', '_', '-'", Required = true };
        var role = new Option<string>("--role") { Description = "admin, worker or analyst", Required = true };
        var community = new Option<string?>("--community") { Description = "A worker's 12-digit community code" };
        var department = new Option<string?>("--department") { Description = "An analyst's department, e.g. civil-affairs" };
        var displayName = new Option<string?>("--display-name") { Description = "The name shown in the web UI (default: the sign-in name)" };
        var password = new Option<string?>("--password") { Description = $"The password (default: env {PasswordVariable})" };
        var command = new Command("add", "Add a user") { name, role, community, department, displayName, password };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var user = new NewUser(
                parse.GetValue(name), parse.GetValue(displayName), parse.GetValue(role), parse.GetValue(community), parse.GetValue(department),
                parse.GetValue(password) ?? Environment.GetEnvironmentVariable(PasswordVariable));
            var errors = user.Validate(services.GetRequiredService<AccessGrants>());
            if (errors.Count > 0)
            {
                foreach (var (field, messages) in errors)
                {
                    await Console.Error.WriteLineAsync($"users add: --{field}: {string.Join("; ", messages)}");
                }

                return ExitCodes.BadUsage;
            }

            if (await services.GetRequiredService<UserAccounts>().CreateAsync(user, ct) is not { } created)
            {
                await Console.Error.WriteLineAsync($"users add: a user named '{user.Name}' exists already");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"added {Describe(created)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command ListVerb()
    {
        var command = new Command("list", "List the users");
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            foreach (var user in await services.GetRequiredService<UserAccounts>().ListAsync(ct))
            {
                Console.WriteLine(Describe(user));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command SetDisabledVerb(string verb, bool disabled)
    {
        var name = new Option<string>("--name") { Description = "The user's name", Required = true };
        var command = new Command(verb, disabled ? "Disable a user: no sign-in, no API keys" : "Enable a disabled user") { name };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var who = parse.GetValue(name)!;
            if (await services.GetRequiredService<UserAccounts>().SetDisabledAsync(who, disabled, ct) is not { } user)
            {
                await Console.Error.WriteLineAsync($"users {verb}: there is no user named '{who}'");
                return ExitCodes.Failed;
            }

            Console.WriteLine(Describe(user));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>users unlock NAME</c> (or <c>--name NAME</c>): lifts a sign-in lock after repeated wrong passwords.</summary>
    private static Command UnlockVerb()
    {
        var positional = new Argument<string?>("name") { Description = "The user's name", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "The user's name" };
        var command = new Command("unlock", "Lift a user's sign-in lock and forget their failed sign-ins") { positional, name };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            if ((parse.GetValue(positional) ?? parse.GetValue(name)) is not { Length: > 0 } who)
            {
                await Console.Error.WriteLineAsync("users unlock: give the user's name (users unlock NAME)");
                return ExitCodes.BadUsage;
            }

            if (await services.GetRequiredService<AccountSecurity>().UnlockAsync(who, ct) is not { } user)
            {
                await Console.Error.WriteLineAsync($"users unlock: there is no user named '{who}'");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"unlocked {Describe(user)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static string Describe(UserAccount user) =>
        $"{user.Name} role={user.Role}"
        + (user.Community is null ? "" : $" community={user.Community}")
        + (user.Department is null ? "" : $" department={user.Department}")
        + (user.Disabled ? " disabled" : "");
}
