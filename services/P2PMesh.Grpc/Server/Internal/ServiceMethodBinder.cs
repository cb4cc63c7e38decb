using System.Diagnostics;
using System.Reflection;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// Binds a service class to its protobuf <see cref="ServiceDescriptor"/>: one request delegate per
/// method, with the path, call kind and message parsers from the descriptor and the implementation
/// found by name on the class (shapes in <see cref="IGrpcService"/>).
/// </summary>
internal static class ServiceMethodBinder
{
    /// <summary>A bound method: its route path and its request delegate.</summary>
    public sealed record BoundMethod(string Path, RequestDelegate Handler);

    /// <remarks>Server spans go to <c>activitySource</c> (see <see cref="GrpcTelemetry"/>); <c>null</c> for none.</remarks>
    /// <exception cref="InvalidOperationException">A class method has a descriptor method's name but the wrong shape.</exception>
    public static IReadOnlyList<BoundMethod> Bind(
        Type serviceType, ServiceDescriptor descriptor, GrpcServerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider, ActivitySource? activitySource)
    {
        var bound = new List<BoundMethod>();
        foreach (var methodDescriptor in descriptor.Methods)
        {
            var requestType = methodDescriptor.InputType.ClrType;
            var responseType = methodDescriptor.OutputType.ClrType;
            var method = Activator.CreateInstance(typeof(Method<,>).MakeGenericType(requestType, responseType), methodDescriptor)!;
            var path = $"/{descriptor.FullName}/{methodDescriptor.Name}";

            var (handlerType, delegateType) = HandlerShape(methodDescriptor, serviceType, requestType, responseType);
            var implementation = FindImplementation(serviceType, methodDescriptor, delegateType);
            if (implementation is null)
            {
                var logger = loggerFactory.CreateLogger("P2PMesh.Grpc.Server");
                bound.Add(new BoundMethod(path, context => UnimplementedCallHandler.HandleAsync(context, logger, "Method is unimplemented.")));
                continue;
            }

            var invoker = Delegate.CreateDelegate(delegateType, implementation);
            var handler = (IServerCallHandler)Activator.CreateInstance(handlerType, method, invoker, options, loggerFactory, timeProvider, activitySource)!;
            bound.Add(new BoundMethod(path, handler.HandleCallAsync));
        }
        return bound;
    }

    private static (Type Handler, Type Delegate) HandlerShape(MethodDescriptor method, Type service, Type request, Type response)
    {
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var reader = typeof(IAsyncEnumerable<>).MakeGenericType(request);
        var responseTask = typeof(Task<>).MakeGenericType(response);
        var (handler, delegateType) = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => (typeof(UnaryServerCallHandler<,,>),
                typeof(Func<,,,>).MakeGenericType(service, request, typeof(ServerCallContext), responseTask)),
            (false, true) => (typeof(ServerStreamingServerCallHandler<,,>),
                typeof(Func<,,,,>).MakeGenericType(service, request, writer, typeof(ServerCallContext), typeof(Task))),
            (true, false) => (typeof(ClientStreamingServerCallHandler<,,>),
                typeof(Func<,,,>).MakeGenericType(service, reader, typeof(ServerCallContext), responseTask)),
            (true, true) => (typeof(DuplexStreamingServerCallHandler<,,>),
                typeof(Func<,,,,>).MakeGenericType(service, reader, writer, typeof(ServerCallContext), typeof(Task))),
        };
        return (handler.MakeGenericType(service, request, response), delegateType);
    }

    private static MethodInfo? FindImplementation(Type serviceType, MethodDescriptor method, Type delegateType)
    {
        var candidates = serviceType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == method.Name)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // The delegate is open-instance: Func<TService, p1..pn, TResult>.
        var arguments = delegateType.GetGenericArguments();
        var parameters = arguments[1..^1];
        var returnType = arguments[^1];
        var match = candidates.FirstOrDefault(m =>
            m.ReturnType == returnType && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters));
        return match ?? throw new InvalidOperationException(
            $"{serviceType.Name}.{method.Name} does not match {method.FullName}: expected " +
            $"{Describe(returnType)} {method.Name}({string.Join(", ", parameters.Select(Describe))}).");
    }

    private static string Describe(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
        : type.Name;
}
