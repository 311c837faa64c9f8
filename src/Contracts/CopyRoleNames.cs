namespace Vectord.Contracts;

/// <summary>The contract's names of the roles of an index part's copies (<c>primary</c>, <c>replica</c>).</summary>
public static class CopyRoleNames
{
    /// <summary>Reads a role name (case-insensitive): <c>primary</c> is the primary, any other name a copy that takes
    /// no writes of its own.</summary>
    public static CopyRole Parse(string? role) =>
        string.Equals(role, "primary", StringComparison.OrdinalIgnoreCase) ? CopyRole.Primary : CopyRole.Replica;

    /// <summary>The contract's name of <paramref name="role"/>.</summary>
    public static string Format(CopyRole role) => role == CopyRole.Primary ? "primary" : "replica";
}
