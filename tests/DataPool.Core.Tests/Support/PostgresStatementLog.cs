using System.Diagnostics;
using DataPool.Core.Sync;

namespace DataPool.Core.Tests.Support;

/// <summary>
/// The SQL statements Npgsql runs while the log is open, seen through its activity source, each statement of the
/// log's own activity and its children only (other tests running at the same time are not counted).
/// </summary>
public sealed class PostgresStatementLog : IDisposable
{
    private const string TestSource = "DataPool.Tests.StatementLog";
    private static readonly ActivitySource Test = new(TestSource);
    private readonly ActivityListener _listener;
    private readonly Activity _scope;
    private readonly List<string> _statements = [];

    public PostgresStatementLog()
    {
        _listener = new ActivityListener
        {
            // By name: comparing with the field from inside the callback would create the source while listeners are being added.
            ShouldListenTo = source => source.Name is "Npgsql" or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        _scope = Test.StartActivity("statements") ?? throw new InvalidOperationException("the log's activity did not start");
        var root = _scope.RootId;
        _listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == "Npgsql" && activity.RootId == root
                && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
            {
                lock (_statements)
                {
                    _statements.Add(sql);
                }
            }
        };
    }

    /// <summary>Runs a sync of <paramref name="definitionFile"/> and returns its result with the statements it ran (none on SQLite).</summary>
    public static async Task<(SyncResult Result, IReadOnlyList<string> Statements)> SyncAsync(PoolTestHost host, string definitionFile)
    {
        using var log = new PostgresStatementLog();
        var result = await host.SyncAsync(definitionFile);
        return (result, log.Statements);
    }

    /// <summary>The statements so far, in the order they finished.</summary>
    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (_statements)
            {
                return [.. _statements];
            }
        }
    }

    /// <summary>Ends the log's scope: statements after it are not counted.</summary>
    public void Dispose()
    {
        _scope.Stop();
        _listener.Dispose();
    }
}
