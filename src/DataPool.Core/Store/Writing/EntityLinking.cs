namespace DataPool.Core.Store.Writing;

/// <summary>
/// How a feature links rows of some entities to pool records beyond their key (matching links persons this way):
/// registered by the feature, asked by every stream that writes. An entity no linking takes links by its key.
/// Public to be registered and injected; only Core implements it.
/// </summary>
public abstract class EntityLinking
{
    /// <summary>A linker for the rows one writer writes (its entity, its stream), or null when this linking does not take the entity.</summary>
    internal abstract IRowLinker? For(PoolWriter writer, long runId);
}

/// <summary>
/// Places one stream's judged rows in the pool, a batch at a time: <see cref="Prepare"/> the batch, then per row, in order,
/// <see cref="Place"/>, write the row (a new pool record when placed nowhere) and tell <see cref="Placed"/>; then
/// <see cref="Flush"/>. <see cref="Complete"/> once the stream's last batch is flushed.
/// </summary>
internal interface IRowLinker
{
    /// <summary>Why a row without its entity key cannot be linked, or null when the linker can place it all the same.</summary>
    string? Unlinkable(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, FlaggedValue>? flags);

    void Prepare(IReadOnlyList<PendingRow> rows);

    /// <summary>The pool record the row joins, or null: it makes a new one.</summary>
    long? Place(PendingRow row);

    /// <summary>Where the row was written (after <see cref="Place"/>): the pool record it joined or made.</summary>
    void Placed(PendingRow row, long poolId);

    /// <summary>The pool record a merged-away id now lives in.</summary>
    long Resolve(long poolId);

    /// <summary>Writes the batch's link decisions, once its records are written; returns further pool records to recompute (persons merged).</summary>
    IReadOnlyCollection<long> Flush();

    void Complete();
}
