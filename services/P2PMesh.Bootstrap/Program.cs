using P2PMesh.Bootstrap.Extensions;
using P2PMesh.Bootstrap.Grpc;
using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.V1;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddBootstrap();
// Its own methods are among the mesh's housekeeping, which every service names alike.
builder.AddServiceDefaults(TelemetryServiceNames.Bootstrap, Environment.MachineName, HousekeepingMethods.Paths);
builder.AddGrpcEndpoint(settings, [Bootstrap.Descriptor.FullName]);
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<BootstrapService>();
app.Run();
