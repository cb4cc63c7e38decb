using Google.Protobuf.Reflection;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// The services mapped on this host, in mapping order. Health uses the names; reflection the
/// descriptors. Filled while endpoints are mapped, read while calls run.
/// </summary>
internal sealed class GrpcServiceRegistry
{
    private readonly List<ServiceDescriptor> _services = [];
    private readonly Lock _lock = new();

    public void Add(ServiceDescriptor service)
    {
        lock (_lock)
        {
            if (_services.Any(s => s.FullName == service.FullName))
            {
                throw new InvalidOperationException($"Service {service.FullName} is already mapped.");
            }
            _services.Add(service);
        }
    }

    public IReadOnlyList<ServiceDescriptor> Services
    {
        get
        {
            lock (_lock)
            {
                return [.. _services];
            }
        }
    }

    /// <summary>Whether the catch-all UNIMPLEMENTED route has been mapped.</summary>
    public bool UnimplementedRouteMapped { get; set; }
}
