using Google.Protobuf.Reflection;
using P2PMesh.Grpc.Server.Internal;

namespace P2PMesh.Grpc.Reflection;

/// <summary>
/// The descriptors the reflection service can describe: the files of every mapped service and,
/// transitively, the files they import; and a symbol table over them (services, methods, messages
/// including nested ones, enums). Built from the registry on first use and whenever it grows.
/// </summary>
internal sealed class ReflectionIndex(GrpcServiceRegistry registry)
{
    private Snapshot? _snapshot;

    public IReadOnlyList<string> ServiceNames => Current.ServiceNames;

    public FileDescriptor? FindFile(string name) => Current.Files.GetValueOrDefault(name);

    public FileDescriptor? FindFileContainingSymbol(string symbol) => Current.Symbols.GetValueOrDefault(symbol);

    public bool IsMessageType(string fullName) => Current.MessageTypes.Contains(fullName);

    /// <summary>
    /// <paramref name="file"/> followed by its transitive imports, leaving out imports already in
    /// <paramref name="sent"/> (doc/server-reflection.md allows skipping files sent earlier on the same
    /// stream; the requested file itself is always sent). Adds what it returns to <paramref name="sent"/>.
    /// </summary>
    public static List<FileDescriptor> WithDependencies(FileDescriptor file, HashSet<string> sent)
    {
        var result = new List<FileDescriptor> { file };
        sent.Add(file.Name);
        var pending = new Stack<FileDescriptor>(file.Dependencies);
        while (pending.TryPop(out var dependency))
        {
            if (sent.Add(dependency.Name))
            {
                result.Add(dependency);
                foreach (var next in dependency.Dependencies)
                {
                    pending.Push(next);
                }
            }
        }
        return result;
    }

    private Snapshot Current
    {
        get
        {
            var services = registry.Services;
            var snapshot = _snapshot;
            if (snapshot is null || snapshot.ServiceNames.Count != services.Count)
            {
                snapshot = Build(services);
                _snapshot = snapshot;
            }
            return snapshot;
        }
    }

    private static Snapshot Build(IReadOnlyList<ServiceDescriptor> services)
    {
        var files = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>(services.Select(s => s.File));
        while (pending.TryPop(out var file))
        {
            if (files.TryAdd(file.Name, file))
            {
                foreach (var dependency in file.Dependencies)
                {
                    pending.Push(dependency);
                }
            }
        }

        var symbols = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        var messageTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Values)
        {
            foreach (var service in file.Services)
            {
                symbols.TryAdd(service.FullName, file);
                foreach (var method in service.Methods)
                {
                    symbols.TryAdd(method.FullName, file);
                }
            }
            foreach (var enumType in file.EnumTypes)
            {
                symbols.TryAdd(enumType.FullName, file);
            }
            var messages = new Stack<MessageDescriptor>(file.MessageTypes);
            while (messages.TryPop(out var message))
            {
                symbols.TryAdd(message.FullName, file);
                messageTypes.Add(message.FullName);
                foreach (var nested in message.NestedTypes)
                {
                    messages.Push(nested);
                }
                foreach (var nestedEnum in message.EnumTypes)
                {
                    symbols.TryAdd(nestedEnum.FullName, file);
                }
            }
        }
        return new Snapshot([.. services.Select(s => s.FullName)], files, symbols, messageTypes);
    }

    private sealed record Snapshot(
        IReadOnlyList<string> ServiceNames,
        Dictionary<string, FileDescriptor> Files,
        Dictionary<string, FileDescriptor> Symbols,
        HashSet<string> MessageTypes);
}
