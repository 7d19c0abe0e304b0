using BeaconEngine.Gateway;
using BeaconEngine.Gateway.Calibration;
using BeaconEngine.Gateway.Queue;
using BeaconEngine.Gateway.Sources;
using BeaconEngine.Gateway.Uplinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// beaconengine-gateway --config gateway.json [--Uplink:Url=http://engine:5080 ...]
// beaconengine-gateway calibrate --Calibrate:StoreId=... --Calibrate:Recording=walk.csv ... (see docs/calibration.md)
if (args is ["calibrate", ..])
{
    return await CalibrateCommand.RunAsync(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);
if (builder.Configuration["config"] is { Length: > 0 } file)
{
    // The file first, then the command line again, so a flag overrides the file.
    builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false).AddCommandLine(args);
}

var options = builder.Configuration.Get<AgentOptions>() ?? new AgentOptions();
options.Validate();
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
using var host = builder.Build();

var logs = host.Services.GetRequiredService<ILoggerFactory>();
var time = TimeProvider.System;
ISightingSource source = options.Source.Kind switch
{
    SourceKind.Hci => new HciSource(options.Source, time, logs.CreateLogger<HciSource>()),
    SourceKind.File => new RecordingSource(options.Source, time, logs.CreateLogger<RecordingSource>()),
    _ => new StdinSource(Console.In, time, logs.CreateLogger<StdinSource>()),
};
await using IUplink uplink = options.Uplink.Kind == UplinkKind.Mqtt
    ? new MqttUplink(options.StoreId, options.GatewayId, options.Uplink, logs.CreateLogger<MqttUplink>())
    : new HttpUplink(options.GatewayId, options.Uplink, logs.CreateLogger<HttpUplink>());
using var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes);
var agent = new Agent(options, source, uplink, queue, time, logs.CreateLogger<Agent>());

var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
await host.StartAsync();
await agent.RunAsync(lifetime.ApplicationStopping);
await host.StopAsync();
return 0;
