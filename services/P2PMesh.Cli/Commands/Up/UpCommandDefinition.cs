using System.CommandLine;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Up;

/// <summary>
/// <c>p2pmesh up --peers N [--degree D] [--share-from DIR] [--dir DIR] [--state FILE] [--api-port PORT]
/// [--start-timeout S] [--pserver-setting K=V]… [--api-setting K=V]… [--otlp URL [--otlp-protocol P]] [--mom amqp://…|local]</c>.
/// </summary>
internal static class UpCommandDefinition
{
    public const string Name = "up";

    public const string DefaultDirectory = ".p2pmesh";

    public static readonly Option<int> PeersOption = new Option<int>("--peers", "-n")
    {
        Description = "How many peers to run (1-64)",
        HelpName = "N",
        Required = true,
    }.InRange(1, 64);

    public static readonly Option<int> DegreeOption = new Option<int>("--degree", "-d")
    {
        Description = "Neighbours each peer seeks (its Neighbours:TargetDegree)",
        HelpName = "D",
        DefaultValueFactory = _ => 4,
    }.InRange(1, 32);

    public static readonly Option<DirectoryInfo> ShareFromOption = new Option<DirectoryInfo>("--share-from")
    {
        Description = "Spread the files below DIR over the peers' shares (round-robin; every third file on two peers)",
        HelpName = "DIR",
    }.AcceptExistingOnly();

    public static readonly Option<DirectoryInfo> DirectoryOption = CreateDirectoryOption(
        "Where shares (peers/<id>/share), logs and the state file go; one mesh at a time per directory");

    public static readonly Option<FileInfo?> StateOption = new("--state")
    {
        Description = $"Where to write the mesh's addresses as JSON while it runs [default: <dir>/{UpCommand.DefaultStateFileName}]",
        HelpName = "FILE",
    };

    public static readonly Option<int> ApiPortOption = new Option<int>("--api-port")
    {
        Description = "Port for peer-1's PClient-API when free (the client verbs' default --api is http://localhost:8080); 0: any free port",
        HelpName = "PORT",
        DefaultValueFactory = _ => 8080,
    }.InRange(0, 65535);

    public static readonly Option<int> StartTimeoutOption = new Option<int>("--start-timeout")
    {
        Description = "Seconds each process may take to become ready",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 120,
    }.InRange(1, 3600);

    public static readonly Option<string[]> PServerSettingOption = new Option<string[]>("--pserver-setting")
    {
        Description = "An extra setting for every PServer, e.g. Search:MaxTtl=10 (repeatable)",
        HelpName = "KEY=VALUE",
    }.KeyValuePairs();

    public static readonly Option<bool> NoAdmissionOption = new Option<bool>("--no-admission")
    {
        Description = "Admit any caller: no peer tokens (by default every peer, API and the Bootstrap require one; docs/security.md)",
    };

    public static readonly Option<bool> TlsOption = new Option<bool>("--tls")
    {
        Description = "Mutual TLS on every gRPC connection, with a local CA made for this run in <dir>/run/tls (docs/security.md)",
    };

    public static readonly Option<string[]> ApiSettingOption = new Option<string[]>("--api-setting")
    {
        Description = "An extra setting for every PClient-API, e.g. Api:SearchTimeout=00:00:20 (repeatable)",
        HelpName = "KEY=VALUE",
    }.KeyValuePairs();

    public static readonly Option<Uri?> OtlpOption = new("--otlp")
    {
        Description = $"Export every child's traces and metrics to this OTLP collector (sets {OtlpSettings.EndpointVariable}, " +
            $"{OtlpSettings.ServiceNameVariable} per service and, for port 4318 or a URL with a path, {OtlpSettings.ProtocolVariable}=http/protobuf). " +
            "Without it, children inherit this shell's OTEL_* variables",
        HelpName = "URL",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (OtlpSettings.Validate(text, out var endpoint) is { } error)
            {
                result.AddError(error);
            }
            return endpoint;
        },
    };

    public static readonly Option<string?> OtlpProtocolOption = new Option<string?>("--otlp-protocol")
    {
        Description = "The OTLP protocol for --otlp, instead of guessing it from the URL",
        HelpName = "grpc|http/protobuf",
    }.AcceptOnlyFromAmong(OtlpProtocols.All);

    /// <summary>The value of <see cref="MomOption"/> that runs a broker for the mesh.</summary>
    public const string LocalMom = "local";

    public static readonly Option<string?> MomOption = new("--mom")
    {
        Description = "Run the mesh on the message bus: every Bootstrap, PServer and PClient-API gets Mom:Uri=URI " +
            $"(index events, mom search, watch). '{LocalMom}' starts the rabbitmq-server found on PATH on free loopback ports and stops it with the mesh",
        HelpName = "amqp://user:password@host:port/|local",
        Validators =
        {
            result =>
            {
                var value = result.GetValueOrDefault<string?>();
                if (value is not null && value != LocalMom
                    && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0))
                {
                    result.AddError($"--mom takes an amqp:// or amqps:// URI with a host (amqp://guest:guest@127.0.0.1:5672/) or '{LocalMom}', got '{value}'.");
                }
            },
        },
    };

    /// <summary>
    /// <c>--dir DIR</c>, default <see cref="DefaultDirectory"/> (relative to the current directory): the mesh
    /// directory, for <c>up</c> and for the verbs that find its mesh there (<c>ps</c>, <c>down</c>), so all three
    /// default alike. Without <paramref name="description"/>, the one of those verbs.
    /// </summary>
    public static Option<DirectoryInfo> CreateDirectoryOption(string? description = null) => new("--dir")
    {
        Description = description ?? $"The mesh directory, as given to up [default: {DefaultDirectory}]",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultDirectory),
    };

    public static Command Create()
    {
        var command = new Command(Name,
            "Run a local mesh: a Bootstrap and N peers (PServer + PClient-API each) on 127.0.0.1, until Ctrl-C or SIGTERM. " +
            $"The service builds are looked for in ${ServiceBinaries.EnvironmentVariable}, next to the CLI, then in the checkout's build output.")
        {
            PeersOption, DegreeOption, ShareFromOption, DirectoryOption, StateOption, ApiPortOption, StartTimeoutOption, PServerSettingOption, ApiSettingOption,
            OtlpOption, OtlpProtocolOption, MomOption, NoAdmissionOption, TlsOption,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(OtlpProtocolOption) is { Implicit: false } && result.GetResult(OtlpOption) is null)
            {
                result.AddError($"{OtlpProtocolOption.Name} needs {OtlpOption.Name} URL (to set the protocol of an inherited endpoint, set {OtlpSettings.ProtocolVariable}).");
            }
        });
        command.SetAction((parseResult, cancellationToken) => new UpCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }

    private static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.CustomParser = result => CommonOptions.ParseInt(result, option.Name, min, max);
        return option;
    }

    private static Option<string[]> KeyValuePairs(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"{option.Name} takes KEY=VALUE (a configuration key such as Search:MaxTtl), got '{value}'.");
                }
            }
        });
        return option;
    }
}
