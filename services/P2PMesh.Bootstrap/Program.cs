using P2PMesh.Bootstrap.Extensions;
using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddBootstrap();
// Its own methods are among the mesh's housekeeping, which every service names alike.
builder.AddServiceDefaults(TelemetryServiceNames.Bootstrap, Environment.MachineName, HousekeepingMethods.Paths);
builder.AddGrpcEndpoint(settings, P2PMesh.Bootstrap.Extensions.Extensions.ServedServices);
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapBootstrap();
app.Run();
