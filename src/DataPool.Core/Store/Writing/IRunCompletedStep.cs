using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Work that follows every run's writes (a sync's streams, an admin's decision) inside the run's transaction, so it
/// commits or rolls back with the run: e.g. linking the persons the run changed to their households. It sees the
/// run's history rows. A feature registers its steps; <see cref="PoolWriting"/> runs them.
/// </summary>
public interface IRunCompletedStep
{
    Task RunCompletedAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId, CancellationToken cancellationToken);
}
