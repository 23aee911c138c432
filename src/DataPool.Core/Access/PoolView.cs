using DataPool.Core.Schema;

namespace DataPool.Core.Access;

/// <summary>
/// One viewer's view of one pool entity: the guard every read of personal data passes, in this order: the grant
/// (which fields, <see cref="Shows"/>), the community scope (<see cref="Community"/>, <see cref="InCommunity"/>),
/// the mask (<see cref="Present"/>, the one rule of <see cref="Masking"/>) and the audit (<see cref="AuditAsync"/>,
/// called before the data leaves the server). Obtained from <see cref="IPoolAccess.ViewOf"/>; null there means
/// nothing of the entity is granted.
/// </summary>
public sealed class PoolView
{
    private readonly PoolAccess _access;
    private readonly AccessLog _log;

    internal PoolView(PoolAccess access, AccessLog log, Viewer viewer, PoolEntity entity, EntityGrant grant)
    {
        _access = access;
        _log = log;
        Viewer = viewer;
        Entity = entity;
        Grant = grant;
        Fields = entity.Fields.Keys.Where(grant.Fields.Contains).ToList();
    }

    public Viewer Viewer { get; }

    public PoolEntity Entity { get; }

    public EntityGrant Grant { get; }

    /// <summary>The granted fields, in the schema's order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The one community the viewer's rows are limited to; null: every community.</summary>
    public string? Community => Grant.Community;

    /// <summary>Whether the field is granted at all (an ungranted field is not even named to the viewer).</summary>
    public bool Shows(string field) => Grant.Fields.Contains(field);

    /// <summary>Whether the viewer sees the field masked; a masked field cannot be filtered or sorted on either.</summary>
    public bool Masks(string field) => _access.IsMasked(Grant, field);

    /// <summary>Whether a row of this community is the viewer's to see; anything else answers as if absent.</summary>
    public bool InCommunity(string? community) => Grant.Community is null || Grant.Community == community;

    /// <summary>The value as the viewer may see it: null when not granted, masked when sensitive and not granted unmasked.</summary>
    public string? Present(string field, string? value) => _access.Present(Grant, field, value);

    /// <summary>
    /// Records the read in the audit log, one entry per record; call it before the values leave. Only reads that include
    /// personal or sensitive fields are logged (a community's office phone is no one's personal data); a field of a
    /// related entity may be named <c>entity.field</c> (a report trace tells those). The only writer of the access log.
    /// </summary>
    public Task AuditAsync(IReadOnlyCollection<long> poolIds, IReadOnlyCollection<string> fields, string purpose, CancellationToken cancellationToken) =>
        _access.IsPersonal(Entity.Name, fields) ? _log.WriteAsync(Viewer, Entity.Name, poolIds, fields, purpose, cancellationToken) : Task.CompletedTask;
}
