using System.Globalization;
using System.Text;

namespace P2PMesh.Contracts;

/// <summary>
/// Makes text that came from a peer, a client or the disk (file names, patterns) safe to put in a log line or an
/// error message: control characters (C0, DEL, C1; newline and carriage return included) become <c>\uXXXX</c>, so
/// a name cannot forge log lines or terminal escapes (docs/security.md, Bad input).
/// </summary>
public static class LogText
{
    /// <summary>
    /// <paramref name="text"/> with every control character (<see cref="char.IsControl(char)"/>) written as
    /// <c>\u</c> and four hex digits; the same instance when it has none; <c>"(null)"</c> for <c>null</c>.
    /// </summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "(null)";
        }
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
