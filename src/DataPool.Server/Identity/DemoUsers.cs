using DataPool.Core.Identity;

namespace DataPool.Server.Identity;

/// <summary>
/// The demo world's users (README, "Demo users"): the administrator, a worker per demo community and an analyst
/// per department with a demo source. They share one documented password, <see cref="DefaultPassword"/>, unless
/// <c>DATAPOOL_DEMO_PASSWORD</c> says otherwise — a demo pool is not a production pool.
/// </summary>
public static class DemoUsers
{
    public const string DefaultPassword = "demo-2019";
    public const string PasswordVariable = "DATAPOOL_DEMO_PASSWORD";

    /// <summary>The communities of the demo world (seeds/README.md).</summary>
    private static readonly (string Code, string Name)[] Communities =
    [
        ("110101001001", "多福巷社区"),
        ("110101001002", "银闸社区"),
        ("110101001003", "东厂社区"),
    ];

    private static readonly (string Code, string Name)[] Departments =
    [
        ("civil-affairs", "民政"),
        ("disabled-persons-federation", "残联"),
        ("human-resources", "人社"),
        ("health-commission", "卫健委"),
        ("veterans-affairs", "退役军人事务"),
    ];

    public static IReadOnlyList<NewUser> All(string password) =>
    [
        new("admin", "系统管理员 (administrator)", Roles.Admin, null, null, password),
        .. Communities.Select(c => new NewUser($"worker-{c.Code[^3..]}", $"{c.Name}工作者 (worker)", Roles.Worker, c.Code, null, password)),
        .. Departments.Select(d => new NewUser($"analyst-{d.Code}", $"{d.Name}分析员 (analyst)", Roles.Analyst, null, d.Code, password)),
    ];

    /// <summary>The demo password: <c>DATAPOOL_DEMO_PASSWORD</c> when set, else <see cref="DefaultPassword"/>.</summary>
    public static string Password() =>
        Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } given ? given : DefaultPassword;

    /// <summary>
    /// Creates the demo users that are missing; an existing one is left as it is (its password may have been
    /// changed on purpose). Returns how many were created.
    /// </summary>
    public static async Task<int> SeedAsync(UserAccounts accounts, IEnumerable<NewUser> users, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var user in users)
        {
            if (await accounts.FindAsync(user.Name!, cancellationToken) is null && await accounts.CreateAsync(user, cancellationToken) is not null)
            {
                created++;
            }
        }

        return created;
    }
}
