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
/// The one place that decides who sees what of the pool (grants in <c>schemas/access/</c>) and that records
/// every read of personal data in the audit log. Every feature that shows pool data goes through it.
/// </summary>
public interface IPoolAccess
{
    /// <summary>What the viewer may see of the entity; null when nothing of it is granted.</summary>
    EntityGrant? GrantFor(Viewer viewer, string entity);

    /// <summary>The viewer's guarded view of the entity (grant, scope, mask, audit); null when nothing of it is granted.</summary>
    PoolView? ViewOf(Viewer viewer, string entity);

    /// <summary>Whether the viewer sees the field masked: granted, sensitive, and not granted unmasked.</summary>
    bool IsMasked(EntityGrant grant, string field);

    /// <summary>The value as the viewer may see it: null when the field is not granted, masked when it is sensitive and not granted unmasked.</summary>
    string? Present(EntityGrant grant, string field, string? value);

    /// <summary>Writes one audit entry per record read: who, when, which entity and records, which fields, and why (the route or purpose).</summary>
    Task AuditAsync(Viewer viewer, string entity, IReadOnlyCollection<long> poolIds, IReadOnlyCollection<string> fields, string purpose, CancellationToken cancellationToken);
}
