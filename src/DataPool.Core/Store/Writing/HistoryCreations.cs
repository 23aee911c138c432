namespace DataPool.Core.Store.Writing;

/// <summary>
/// A pool record's creation in <c>dp_history</c> borrows its values from the source record that created it: the
/// row's <c>changes</c> is <see cref="Borrowed"/> and its <c>record_id</c> names the record, whose <c>data</c> is the
/// same JSON. Writing that JSON twice was a sixth of a first load's bytes on SQLite and a ninth on PostgreSQL, where a
/// 1M first load got 13% faster without it. History must not change when the record does, so before a record's data
/// is overwritten, the creations borrowing it get their own copy of the old data (<see cref="KeepSql"/>,
/// <see cref="KeepManySql"/>); only records that change pay for it.
/// </summary>
internal static class HistoryCreations
{
    /// <summary>The <c>changes</c> of a creation whose values are its record's data.</summary>
    public const string Borrowed = "";

    /// <summary>Joined by readers of history: the record a creation borrows from.</summary>
    public const string Join = "LEFT JOIN dp_source_records hr ON hr.id = h.record_id";

    /// <summary>A history row's changes, borrowed or its own (<see cref="Join"/> in the query).</summary>
    public const string Changes = "CASE WHEN h.record_id IS NULL THEN h.changes ELSE hr.data END";

    /// <summary>Copies record <c>@id</c>'s current data into the creations borrowing it (one record).</summary>
    public const string KeepSql =
        "UPDATE dp_history SET changes = (SELECT data FROM dp_source_records WHERE id = @id), record_id = NULL WHERE record_id IS NOT NULL AND record_id = @id";

    /// <summary>Copies the current data of the records <c>@ids</c> (an array) into the creations borrowing them (PostgreSQL).</summary>
    /// <remarks>
    /// <c>IS NOT NULL</c> is spelled out so that the partial index plainly applies. The plan also needs statistics on
    /// <c>record_id</c> (<see cref="PoolWriter"/> refreshes them during a load): without them it walked the whole
    /// history at each flush of a re-sync, and a 1% change at 200k took 34 s instead of 4.
    /// </remarks>
    public const string KeepManySql =
        "UPDATE dp_history AS h SET changes = r.data, record_id = NULL FROM dp_source_records AS r " +
        "WHERE h.record_id IS NOT NULL AND h.record_id = ANY(@ids) AND r.id = h.record_id";
}
