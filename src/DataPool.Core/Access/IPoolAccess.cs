namespace DataPool.Core.Access;

/// <summary>Who reads the pool, as the request's principal says: what scopes every read.</summary>
/// <param name="Role">admin, worker or analyst.</param>
/// <param name="Department">An analyst's department (schemas/access/&lt;department&gt;.json).</param>
/// <param name="Community">A worker's 12-digit community code: a worker sees only that community.</param>
public sealed record Viewer(string Name, string Role, string? Department, string? Community);

/// <summary>
/// What a viewer may see of one pool entity: the fields granted, which of them unmasked, and the community
/// the rows are limited to (null: every community).
/// </summary>
public sealed record EntityGrant(string Entity, IReadOnlySet<string> Fields, IReadOnlySet<string> Unmasked, string? Community);

/// <summary>
/// The one place that decides who sees what of the pool (grants in <c>schemas/access/</c>) and that records every
/// read of personal data in the audit log. Every feature that shows pool data goes through a <see cref="PoolView"/>
/// obtained here: the grant, the community scope, the mask and the audit are the view's, and nothing else writes the
/// access log.
/// </summary>
public interface IPoolAccess
{
    /// <summary>The viewer's guarded view of the entity (grant, scope, mask, audit); null when nothing of it is granted.</summary>
    PoolView? ViewOf(Viewer viewer, string entity);

    /// <summary>
    /// The viewer's view of the entity, granting nothing when nothing is granted: for reads whose values were shaped
    /// elsewhere (a report run's file, a verification answer) and which are audited all the same.
    /// </summary>
    PoolView AuditedViewOf(Viewer viewer, string entity);
}
