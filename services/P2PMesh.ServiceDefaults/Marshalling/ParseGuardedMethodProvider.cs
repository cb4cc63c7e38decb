using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace P2PMesh.ServiceDefaults.Marshalling;

/// <summary>
/// Binds the methods of every protoc-generated gRPC service as grpc-dotnet's own binder does (the generated
/// <c>BindService</c>, handlers found by name on the service type, the type's and method's attributes as endpoint
/// metadata), with one change: a request message that does not parse as protobuf ends the call with
/// <see cref="StatusCode.Internal"/> and a message naming the type, as grpc-go and grpc-java answer it, instead of
/// UNKNOWN "Exception was thrown by handler" (grpc-dotnet deserializes before any interceptor runs, so nothing later
/// can tell a bad request from a crashed handler). Malformed input and its statuses: docs/security.md.
/// </summary>
/// <typeparam name="TService">The service implementation type, a subclass of a generated <c>…Base</c>.</typeparam>
public sealed class ParseGuardedMethodProvider<
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] TService> : IServiceMethodProvider<TService>
    where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }
            var bindService = bind.BindType
                .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Single(m => m.Name == bind.BindMethodName && m.GetParameters() is [var first, _] && first.ParameterType == typeof(ServiceBinderBase));
            // BindService(binder, null): the generated code passes null handlers, the binder finds them by name.
            bindService.Invoke(null, [new Binder(context, bindService.GetParameters()[1].ParameterType), null]);
            return;
        }
    }

    private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var request = method.RequestMarshaller;
        var guarded = Marshallers.Create(request.ContextualSerializer, context =>
        {
            try
            {
                return request.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"The request is not a valid {typeof(TRequest).Name} message: {ex.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, guarded, method.ResponseMarshaller);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        // The override of the generated base's virtual method (a method of the same name that hides it is skipped),
        // with the service type's attributes first and the method's last (higher priority), as grpc-dotnet orders them.
        private (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            MethodInfo? handler = null;
            for (var type = typeof(TService); type is not null && handler is null; type = type.BaseType)
            {
                var candidate = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null);
                if (candidate is null)
                {
                    break;
                }
                if (candidate.IsVirtual && candidate.GetBaseDefinition().DeclaringType == declaringType)
                {
                    handler = candidate;
                }
            }
            if (handler is null)
            {
                throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            }
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }
    }
}

/// <summary>Registration of <see cref="ParseGuardedMethodProvider{TService}"/>.</summary>
public static class ParseGuardedMethodProvider
{
    /// <summary>
    /// Puts this provider in place of grpc-dotnet's <c>BinderServiceMethodProvider</c> (both would bind every method
    /// twice). Call after <c>AddGrpc</c>.
    /// </summary>
    /// <param name="services">The host's services, with grpc-dotnet added.</param>
    /// <exception cref="InvalidOperationException">grpc-dotnet's binder is not registered (AddGrpc not called, or a
    /// grpc-dotnet version that registers it differently).</exception>
    public static void Replace(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var binder = services.SingleOrDefault(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType is { IsGenericTypeDefinition: true } type
            && type.Assembly == typeof(GrpcServiceOptions).Assembly
            && type.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider<> is not registered; call AddGrpc first.");
        services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ParseGuardedMethodProvider<>));
    }
}
