using DataPool.Core.Schema;

namespace DataPool.Core.Access;

/// <summary>
/// Grants from schemas/access: an administrator sees everything; an analyst what their department's file grants;
/// a worker what <c>community-worker.json</c> grants, limited to their community. Anyone else sees nothing.
/// </summary>
public sealed class PoolAccess(SchemaCatalog catalog, AccessGrants grants, AccessLog log) : IPoolAccess
{
    public const string AdminRole = "admin";
    public const string WorkerRole = "worker";
    public const string AnalystRole = "analyst";

    /// <summary>What the viewer may see of the entity; null when nothing of it is granted (or no such entity).</summary>
    internal EntityGrant? GrantFor(Viewer viewer, string entity)
    {
        if (!catalog.Entities.TryGetValue(entity, out var poolEntity))
        {
            return null;
        }

        return viewer.Role switch
        {
            AdminRole => AccessGrants.Everything(poolEntity),
            // A worker without a community would otherwise see every community: they see nothing instead.
            WorkerRole when viewer.Community is { Length: > 0 } community => grants.For(AccessGrants.CommunityWorker, entity) is { } grant ? grant with { Community = community } : null,
            // The workers' grant is no department's: an analyst bound to it would read every community unlimited.
            AnalystRole when viewer.Department is { Length: > 0 } department && department != AccessGrants.CommunityWorker => grants.For(department, entity),
            _ => null,
        };
    }

    // A view is resolved once per viewer and entity: grants are loaded once at start (a changed grant file applies at
    // the next start) and the viewer is part of the key, so a user whose role, department or community changes gets
    // a view of their own. Only entities of the schema are keys, so unknown names in requests cannot grow the cache.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Viewer, string), PoolView?> _views = new();

    public PoolView? ViewOf(Viewer viewer, string entity) =>
        catalog.Entities.ContainsKey(entity) ? _views.GetOrAdd((viewer, entity), key => Resolve(key.Item1, key.Item2)) : null;

    private PoolView? Resolve(Viewer viewer, string entity) =>
        GrantFor(viewer, entity) is { } grant ? new PoolView(this, log, viewer, catalog.Entity(entity), grant) : null;

    public PoolView AuditedViewOf(Viewer viewer, string entity) =>
        ViewOf(viewer, entity) ?? new PoolView(this, log, viewer, catalog.Entity(entity), Nothing(entity));

    private static EntityGrant Nothing(string entity) => new(entity, new HashSet<string>(), new HashSet<string>(), null);

    /// <summary>The value as the grant shows it: null when the field is not granted, masked when sensitive and not granted unmasked.</summary>
    internal string? Present(EntityGrant grant, string field, string? value)
    {
        if (value is null || !grant.Fields.Contains(field))
        {
            return null;
        }

        return IsSensitive(grant.Entity, field) && !grant.Unmasked.Contains(field) ? Masking.Mask(catalog.Entity(grant.Entity).Fields[field], value) : value;
    }

    /// <summary>Whether the grant shows the field masked: granted, sensitive, and not granted unmasked.</summary>
    internal bool IsMasked(EntityGrant grant, string field) =>
        grant.Fields.Contains(field) && IsSensitive(grant.Entity, field) && !grant.Unmasked.Contains(field);

    /// <summary>Whether any of the fields is personal; a field of a related entity may be named <c>entity.field</c> (a report trace tells those).</summary>
    internal bool IsPersonal(string entity, IEnumerable<string> fields) =>
        fields.Any(f => FieldOf(entity, f) is { } field && field.Pii != PiiClasses.None);

    private PoolField? FieldOf(string entity, string name)
    {
        if (name.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
        {
            (entity, name) = (name[..dot], name[(dot + 1)..]);
        }

        return catalog.Entities.TryGetValue(entity, out var e) && e.Fields.TryGetValue(name, out var field) ? field : null;
    }

    private bool IsSensitive(string entity, string field) =>
        catalog.Entity(entity).Fields.TryGetValue(field, out var f) && f.Pii == PiiClasses.Sensitive;
}
