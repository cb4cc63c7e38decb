using P2PMesh.TransferBench;
using P2PMesh.TransferBench.Commands;
using P2PMesh.TransferBench.Report;

// The file-transfer benchmark of bench/ (bench/README.md, "File transfer throughput"). Subcommands,
// each printing one JSON line on stdout (progress and logs on stderr):
//
//   download --sources h:p[,h:p…] --sha256 H --share DIR [--state DIR] [--name N] [--poll-ms 25]
//            [--watch-pids P,P] [--in-flight N] [--id ID] [--timeout-s 1800]
//       downloads H with DownloadManager into DIR and times it: Start → Verifying (transfer),
//       → file in the share (whole-file check, fsync, rename), → Completed (re-index); peak RSS (VmHWM),
//       CPU of itself, of the watched processes (the PServers) and of the machine per phase.
//   serve-file --file F [--port 0] [--host 127.0.0.1]
//       Kestrel, HTTP/1.1, GET /file = Results.File(F) without range processing; prints
//       "LISTENING http://HOST:PORT/file"; stops on SIGTERM or Ctrl-C.
//   sha256 --file F [--buffer-kib 1024] [--id ID]
//       SHA-256 of F, streamed with a 1 MiB buffer; MiB/s.
//   wait-manifest --source h:p --sha256 H [--pid P] [--timeout-s 900]
//       polls Peer.GetManifest until the source serves H (its start-up hash is done).
//   wait-quiet [--max-s 60] [--threshold 0.3] [--watch-pids P,P] [--id ID]
//       waits until processes other than the watched ones use less than THRESHOLD cores (1 s samples).
//   free-ports [--count 1]
//       free TCP ports on 127.0.0.1, one a line.
//   report --input results.jsonl --results bench/RESULTS.md --command TEXT
//       replaces the transfer-bench block of the markdown file with tables built from the JSON lines.

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: P2PMesh.TransferBench download|serve-file|sha256|wait-manifest|wait-quiet|free-ports|report [--option value]… (see Program.cs)");
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = CommandArgs.Parse(args.AsSpan(1));
    return args[0] switch
    {
        "download" => await DownloadCommand.RunAsync(options),
        "serve-file" => await ServeFileCommand.RunAsync(options),
        "sha256" => Sha256Command.Run(options),
        "wait-manifest" => await WaitManifestCommand.RunAsync(options),
        "wait-quiet" => await WaitQuietCommand.RunAsync(options),
        "free-ports" => FreePortsCommand.Run(options),
        "report" => await ReportCommand.RunAsync(options),
        _ => throw new ArgumentException($"unknown subcommand '{args[0]}'"),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
