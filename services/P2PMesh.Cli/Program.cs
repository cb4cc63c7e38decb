using System.CommandLine;
using P2PMesh.Cli;

return await CliParser.InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = CliParser.TerminationTimeout });
