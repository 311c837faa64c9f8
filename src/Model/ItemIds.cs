using System.Text;

namespace Vectord;

/// <summary>
/// The rule for item ids, the one place it is written: non-empty, well-formed Unicode (no lone surrogate), at most
/// <see cref="ItemLimits.MaxIdBytes"/> bytes of UTF-8, no control character, and neither <c>.</c> nor <c>..</c>,
/// which a URL path resolves as dot segments (<c>/items/..</c> would name the index itself). Every add is checked
/// against it; an id stored before the rule stays readable and deletable.
/// </summary>
public static class ItemIds
{
    /// <summary>What is wrong with <paramref name="id"/> as the id of a new item, or null.</summary>
    public static string? Check(string? id)
    {
        if (string.IsNullOrEmpty(id)) { return "empty id"; }
        if (id is "." or "..") { return $"id \"{id}\" is a path segment of its own (. and .. are not allowed)"; }
        if (!ItemLimits.IsWellFormed(id)) { return "id is not valid Unicode text"; }
        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsControl(id[i])) { return $"id contains the control character U+{(int)id[i]:X4} at {i}"; }
        }
        // At most 3 bytes per UTF-16 unit: short ids need no count.
        if (id.Length * 3 <= ItemLimits.MaxIdBytes) { return null; }
        var bytes = Encoding.UTF8.GetByteCount(id);
        return bytes > ItemLimits.MaxIdBytes ? $"id is {bytes} bytes of UTF-8 (at most {ItemLimits.MaxIdBytes})" : null;
    }
}
