using BeaconEngine.Server.Hosting;

var app = BeaconEngineApp.Build(args);
await app.RunBeaconEngineAsync();
