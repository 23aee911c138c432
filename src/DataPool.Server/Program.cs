using DataPool.Server.Cli;

// One executable, one verb per job; `serve` is the default (see README, "Command line").
var root = new DataPoolRootCommand
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    SyncCommand.Create(),
    CheckCommand.Create(),
    SeedCommand.Create(),
    LinksCommand.Create(),
    ExplainCommand.Create(),
    HouseholdsCommand.Create(),
    KeysCommand.Create(),
    UsersCommand.Create(),
    SourcesCommand.Create(),
    ReportCommand.Create(),
};

return await root.RunAsync(args);
