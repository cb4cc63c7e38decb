using P2PMesh.Bootstrap.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddBootstrap();
var app = builder.Build();
app.MapBootstrap();
app.Run();
