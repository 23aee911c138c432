using System.CommandLine;
using DataPool.Server.Hosting;

namespace DataPool.Server.Cli;

/// <summary><c>serve [--urls]</c>: the API and web UI (the default verb).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:5080" };
        var command = new Command("serve", "Serve the API and the web UI (default)") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = ServerApp.Build(CommonOptions.Settings(parse), parse.GetValue(urls));
            await ServerApp.InitialiseAsync(app, cancellationToken);
            await app.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
