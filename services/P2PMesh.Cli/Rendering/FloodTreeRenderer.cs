using Spectre.Console;
using Spectre.Console.Rendering;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Rendering;

/// <summary>
/// Draws a flood (<c>search --explain</c>) as a tree: the origin at the root, each forward as a child of
/// the peer that sent it, with the receiver's hops, outcome, hits (its subtree's) and elapsed time.
/// Only a receiver that processed the query (outcome <c>hits</c>) is expanded; duplicate, error and
/// deadline forwards are leaves, so every reached peer appears once as an inner node.
/// </summary>
internal static class FloodTreeRenderer
{
    public static Tree Render(SearchResponse response)
    {
        var edges = response.Edges ?? [];
        var origin = edges.Where(e => e.Hops == 1).Select(e => e.From).FirstOrDefault()
            ?? edges.Select(e => e.From).FirstOrDefault()
            ?? "origin";
        var holdings = response.Files
            .SelectMany(f => f.Sources.Select(s => (s.PeerId, s.Name)))
            .GroupBy(x => x.PeerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var forwards = edges
            .GroupBy(e => e.From, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.ElapsedMs).ThenBy(e => e.To, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        var tree = new Tree(RootLabel(origin, response, Holding(holdings, origin))) { Guide = TreeGuide.Line };
        var expanded = new HashSet<string>(StringComparer.Ordinal) { origin };
        AddForwards(tree, origin);
        return tree;

        void AddForwards(IHasTreeNodes parent, string from)
        {
            if (!forwards.TryGetValue(from, out var sent))
            {
                return;
            }
            foreach (var edge in sent)
            {
                var node = parent.AddNode(EdgeLabel(edge, Holding(holdings, edge.To)));
                if (edge.Outcome == "hits" && expanded.Add(edge.To))
                {
                    AddForwards(node, edge.To);
                }
            }
        }
    }

    private static string? Holding(Dictionary<string, List<string>> holdings, string peer) =>
        holdings.TryGetValue(peer, out var names) ? string.Join(", ", names) : null;

    private static IRenderable RootLabel(string origin, SearchResponse response, string? holds)
    {
        var stats = response.Stats;
        var summary = stats is null
            ? Format.Count(response.Files.Count, "file")
            : $"{Format.Count(stats.Hits, "hit")} · {Format.Count(stats.PeersReached, "peer")} reached · {Format.Count(stats.Messages, "message")} · {Format.Count(stats.Duplicates, "duplicate")} · {Format.DeepestHop(stats.MaxHops)}";
        return new Markup($"[bold]{Markup.Escape(origin)}[/] [grey](origin, ttl {response.Ttl})[/] {Markup.Escape(summary)} · {Format.Milliseconds(response.ElapsedMs)}"
            + (holds is null ? "" : $" [green]holds {Markup.Escape(holds)}[/]"));
    }

    private static IRenderable EdgeLabel(EdgeDto edge, string? holds)
    {
        var peer = Markup.Escape(edge.To);
        var timing = $"hop {edge.Hops} · {Format.Milliseconds(edge.ElapsedMs)}";
        var outcome = edge.Outcome switch
        {
            "hits" when edge.Hits > 0 => $"[green]{Format.Count(edge.Hits, "hit")}[/]",
            "hits" => "[grey]0 hits[/]",
            "duplicate" => "[yellow]duplicate[/]",
            "deadline" => "[red]deadline[/]",
            "error" => $"[red]error[/]{(edge.Error is null ? "" : $" [red]{Markup.Escape(edge.Error)}[/]")}",
            _ => Markup.Escape(edge.Outcome),
        };
        var holding = holds is null || edge.Outcome != "hits" ? "" : $" [green]holds {Markup.Escape(holds)}[/]";
        return new Markup($"[bold]{peer}[/] [grey]{timing}[/] {outcome}{holding}");
    }
}
