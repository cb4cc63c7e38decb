using System.Text;

namespace P2PMesh.Bench.Shared;

/// <summary>The foot of a benchmark's block: the run's raw JSON lines, folded in a <c>&lt;details&gt;</c> element.</summary>
internal static class JsonLinesDetails
{
    /// <summary>Appends <paramref name="lines"/> as a folded <c>json</c> code block under <paramref name="summary"/>.</summary>
    public static StringBuilder AppendJsonLinesDetails(this StringBuilder md, string summary, IEnumerable<string> lines)
    {
        md.AppendLine($"<details><summary>{summary}</summary>");
        md.AppendLine();
        md.AppendLine("```json");
        foreach (var line in lines)
        {
            md.AppendLine(line);
        }
        md.AppendLine("```");
        md.AppendLine();
        return md.AppendLine("</details>");
    }
}
