using DataPool.Core.Access;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Access;

/// <summary>The shipped grant files, what they mean per role, and how a bad one is refused.</summary>
public sealed class GrantFilesTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.Load(SchemaCatalog.Locate());
    private static readonly AccessGrants Grants = AccessGrants.Load(Catalog);
    private static readonly PoolAccess Access = new(Catalog, Grants, null!);

    private static Viewer Analyst(string department) => new("a", PoolAccess.AnalystRole, department, null);

    [Test]
    public void Every_department_of_the_demo_world_has_a_grant_file()
    {
        Assert.That(Grants.Departments, Is.SupersetOf(new[]
        {
            "public-security", "civil-affairs", "disabled-persons-federation", "human-resources", "health-commission", "veterans-affairs", AccessGrants.CommunityWorker,
        }));
    }

    [Test]
    public void The_federation_reads_disability_detail_and_human_resources_does_not()
    {
        var federation = Access.GrantFor(Analyst("disabled-persons-federation"), "disability");
        Assert.That(federation, Is.Not.Null);
        Assert.That(federation!.Fields, Does.Contain("category").And.Contain("grade"));
        Assert.That(Access.Present(federation, "category", "4"), Is.EqualTo("4"));
        Assert.That(Access.GrantFor(Analyst("human-resources"), "disability"), Is.Null);
        Assert.That(Access.GrantFor(Analyst("no-such-department"), "person"), Is.Null);
    }

    [Test]
    public void Admins_see_everything_and_workers_only_their_community()
    {
        var admin = Access.GrantFor(new Viewer("root", PoolAccess.AdminRole, null, null), "social_assistance")!;
        Assert.That(admin.Fields, Is.EquivalentTo(Catalog.Entity("social_assistance").Fields.Keys));
        Assert.That(admin.Community, Is.Null);
        Assert.That(Access.Present(admin, "monthly_amount", "1100"), Is.EqualTo("1100"));

        var worker = Access.GrantFor(new Viewer("w", PoolAccess.WorkerRole, null, "110101001001"), "social_assistance")!;
        Assert.That(worker.Community, Is.EqualTo("110101001001"));
        Assert.That(Access.Present(worker, "monthly_amount", "1100"), Is.EqualTo(Masking.Hidden));
        var doctor = Access.GrantFor(new Viewer("w", PoolAccess.WorkerRole, null, "110101001001"), "family_doctor")!;
        Assert.That(Access.Present(doctor, "chronic_conditions", "高血压"), Is.Null, "not granted: not shown");
        Assert.That(Access.GrantFor(new Viewer("w", PoolAccess.WorkerRole, null, null), "person"), Is.Null, "a worker bound to no community sees nothing");
        Assert.That(Access.GrantFor(new Viewer("x", "guest", null, null), "person"), Is.Null);
    }

    [TestCase("person", "id_number", "110101195703020015", "110101***********5")]
    [TestCase("household", "head_id_number", "11010119570302001X", "110101***********X")]
    [TestCase("disability", "certificate_no", "11010119570302001542", Masking.Hidden)]
    [TestCase("social_assistance", "monthly_amount", "1100.00", Masking.Hidden)]
    [TestCase("disability", "grade", "4", Masking.Hidden)]
    public void Masking_shows_an_id_numbers_region_and_check_character_and_hides_anything_else_whole(string entity, string field, string value, string masked) =>
        Assert.That(Masking.Mask(Catalog.Entity(entity).Fields[field], value), Is.EqualTo(masked));

    /// <summary>The guard every reader passes, as one table: viewer × entity × field → refused, hidden, masked or shown.</summary>
    [TestCase("human-resources", "disability", "category", "refused")]
    [TestCase("human-resources", "person", "address", "hidden")]
    [TestCase("human-resources", "person", "id_number", "masked")]
    [TestCase("human-resources", "person", "name", "shown")]
    [TestCase("civil-affairs", "person", "id_number", "shown")]
    [TestCase("worker", "social_assistance", "monthly_amount", "masked")]
    [TestCase("worker", "family_doctor", "chronic_conditions", "hidden")]
    [TestCase("worker", "person", "id_number", "shown")]
    [TestCase("admin", "disability", "category", "shown")]
    public void A_view_shows_masks_or_hides_each_field_as_granted(string who, string entity, string field, string expected)
    {
        var viewer = who switch
        {
            "worker" => new Viewer("w", PoolAccess.WorkerRole, null, "110101001001"),
            "admin" => new Viewer("root", PoolAccess.AdminRole, null, null),
            _ => Analyst(who),
        };
        var view = Access.ViewOf(viewer, entity);
        var seen = view is null ? "refused" : !view.Shows(field) ? "hidden" : view.Masks(field) ? "masked" : "shown";
        Assert.That(seen, Is.EqualTo(expected));
        if (view is not null)
        {
            var value = Catalog.Entity(entity).Fields[field].Format == "id_number" ? "110101195703020015" : "1100";
            Assert.That(view.Present(field, value), Is.EqualTo(seen switch { "hidden" => null, "masked" => Masking.Mask(Catalog.Entity(entity).Fields[field], value), _ => value }));
            Assert.That(view.InCommunity("110101001002"), Is.EqualTo(who != "worker"), "a worker's view is their community only");
        }
    }

    [Test]
    public void A_masked_id_number_shows_no_birth_date_or_sequence_digit()
    {
        // The birth date is granted where the ID number is masked: a mask keeping it would let anyone rebuild the number.
        var masked = Masking.Mask(Catalog.Entity("person").Fields["id_number"], "110101195703020015");
        Assert.That(masked[6..17], Is.EqualTo(new string('*', 11)));
        Assert.That(masked, Does.Not.Contain("19570302").And.Not.Contain("001"));
    }

    [Test]
    public void Analyst_with_department_community_worker_gets_no_grant()
    {
        // The workers' grant without a community would be every community's residents.
        Assert.That(Access.GrantFor(Analyst(AccessGrants.CommunityWorker), "person"), Is.Null);
    }

    [TestCase("""{ "department": "bad", "entities": { "persn": { "fields": ["name"] } } }""", "access/bad.json: $.entities.persn: 'persn' is not a pool entity")]
    [TestCase("""{ "department": "bad", "entities": { "person": { "fields": ["name", "shoe_size"] } } }""", "access/bad.json: $.entities.person.fields[1]: 'shoe_size' is not a field of person")]
    [TestCase("""{ "department": "bad", "entities": { "person": { "fields": ["name"], "unmasked": ["id_number"] } } }""", "access/bad.json: $.entities.person.unmasked[0]: 'id_number' is unmasked but not in fields")]
    [TestCase("""{ "department": "other", "entities": {} }""", "access/bad.json: $.department: 'other' must equal the file's name 'bad'")]
    [TestCase("""{ "department": "bad", "entities": { "person": { "feilds": ["name"] } } }""", "access/bad.json: $.entities.person")]
    public void A_bad_grant_file_is_refused_naming_the_file_and_path(string json, string expected)
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-grants-" + Guid.NewGuid().ToString("N"));
        try
        {
            Copy(Catalog.Root, root, "pool");
            Copy(Catalog.Root, root, "codes");
            Directory.CreateDirectory(Path.Combine(root, "access"));
            File.WriteAllText(Path.Combine(root, "access", "bad.json"), json);
            var error = Assert.Throws<SchemaException>(() => AccessGrants.Load(SchemaCatalog.Load(root)));
            Assert.That(error!.Message, Does.Contain(expected));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Copy(string from, string to, string folder)
    {
        Directory.CreateDirectory(Path.Combine(to, folder));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, folder), "*.json"))
        {
            File.Copy(file, Path.Combine(to, folder, Path.GetFileName(file)));
        }
    }
}
