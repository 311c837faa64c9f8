using System.Net;
using Orleans.Dashboard;
using Vectord.Clustering;
using Vectord.Gateway;
using Vectord.Grains.Hosting;
using Vectord.Silo;

// One silo with the HTTP gateway co-hosted: `dotnet run --project src/Silo` is the embedded default
// (localhost clustering, file storage under ./data, http://127.0.0.1:8080).
// Settings (appsettings.json) come from beside the binaries; relative paths such as ./data from where the user stands.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8080");   // --urls / ASPNETCORE_URLS win
builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));   // in-flight writes finish

var cluster = ClusterSettings.From(builder.Configuration);
bool orleansDashboard = builder.Configuration.GetValue<bool>("Dashboard:Orleans");   // off by default
builder.UseOrleans(silo =>
{
    silo.UseVectordClustering(cluster);
    silo.AddVectord(builder.Configuration);
    if (orleansDashboard)
    {
        silo.AddDashboard();
    }
});
builder.Services.AddVectordGateway(builder.Configuration);

var app = builder.Build();
app.MapVectordApi();
if (orleansDashboard)
{
    app.MapOrleansDashboard(routePrefix: "/orleans");   // behind the same bearer-token check as the API
}
app.Lifetime.ApplicationStarted.Register(() => SiloLog.Ready(app.Logger, Dns.GetHostName(), string.Join(", ", app.Urls),
    cluster.ClusterId, cluster.Provider, builder.Configuration["Storage:Provider"] ?? "file"));
await app.RunAsync();
