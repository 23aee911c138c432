using System.Text.RegularExpressions;
using DataPool.Core.Access;

namespace DataPool.Core.Identity;

/// <summary>
/// A user to create (from <c>POST /api/users</c> or <c>users add</c>). A worker is bound to exactly one community,
/// an analyst to exactly one department, an administrator to neither: the binding is what scopes their data.
/// A department is real when it has a grant file (schemas/access); <c>community-worker</c> is the workers' grant,
/// not a department, since an analyst holding it would read every community.
/// </summary>
public sealed partial record NewUser(string? Name, string? DisplayName, string? Role, string? Community, string? Department, string? Password)
{
    public const int MinimumPasswordLength = 8;

    /// <summary>The roles a user can have.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { PoolAccess.AdminRole, PoolAccess.WorkerRole, PoolAccess.AnalystRole };

    /// <summary>Every problem by field (JSON names); empty when the user can be created.</summary>
    public Dictionary<string, string[]> Validate(AccessGrants grants)
    {
        var departments = grants.Departments.Where(d => d != AccessGrants.CommunityWorker).Order(StringComparer.Ordinal).ToList();
        var errors = new Dictionary<string, string[]>();
        if (Name is null || !NamePattern().IsMatch(Name))
        {
            errors["name"] = ["a name is 1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"];
        }

        if (Role is null || !Roles.Contains(Role))
        {
            errors["role"] = [$"the role is one of {string.Join(", ", Roles.Order(StringComparer.Ordinal))}"];
        }

        if (Role == PoolAccess.WorkerRole && (Community is null || !CommunityPattern().IsMatch(Community)))
        {
            errors["community"] = ["a worker is bound to one community: its 12-digit community code"];
        }
        else if (Role != PoolAccess.WorkerRole && Community is not null)
        {
            errors["community"] = ["only a worker is bound to a community"];
        }

        if (Role == PoolAccess.AnalystRole && (Department is null || !DepartmentPattern().IsMatch(Department)))
        {
            errors["department"] = ["an analyst is bound to one department, e.g. civil-affairs ([a-z0-9-])"];
        }
        else if (Role == PoolAccess.AnalystRole && !departments.Contains(Department!, StringComparer.Ordinal))
        {
            errors["department"] = [Department == AccessGrants.CommunityWorker
                ? $"'{AccessGrants.CommunityWorker}' is the grant of community workers, not a department: create a worker bound to a community instead"
                : $"'{Department}' is not a department (none has a grant file schemas/access/{Department}.json); the departments are {string.Join(", ", departments)}"];
        }
        else if (Role != PoolAccess.AnalystRole && Department is not null)
        {
            errors["department"] = ["only an analyst is bound to a department"];
        }

        if (Password is null || Password.Length < MinimumPasswordLength)
        {
            errors["password"] = [$"a password has at least {MinimumPasswordLength} characters"];
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex CommunityPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex DepartmentPattern();
}
