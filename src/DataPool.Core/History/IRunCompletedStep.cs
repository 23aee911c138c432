using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.History;

/// <summary>
/// Work that follows a sync run's streams inside the run's transaction (so it commits or rolls back with the
/// run): e.g. linking the persons the run changed to their households. It sees the run's history rows.
/// </summary>
public interface IRunCompletedStep
{
    Task RunCompletedAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId, CancellationToken cancellationToken);
}
