using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using BeaconEngine.Testing;
using MQTTnet.Protocol;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// A real mosquitto broker (/usr/sbin/mosquitto, installed by the test command) on a free loopback port, with a generated
/// configuration. Optionally with users and an ACL, the way a store would let each gateway write its own topics only.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    /// <summary>Hashes the broker's password file; the same Debian package installs it.</summary>
    private const string PasswordTool = "/usr/bin/mosquitto_passwd";

    private readonly Process _process;
    private readonly string _folder;

    private MosquittoBroker(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>mqtt://[user:password@]127.0.0.1:port</c>.</summary>
    public string Url(string? user = null, string? password = null) =>
        user is null ? $"mqtt://127.0.0.1:{Port}" : $"mqtt://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? "")}@127.0.0.1:{Port}";

    /// <param name="users">User name and password pairs; when given, anonymous clients are refused.</param>
    /// <param name="acl">mosquitto ACL file content (<c>user</c> / <c>topic read|write|readwrite</c> lines).</param>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string>? users = null, string? acl = null)
    {
        Prerequisite.Executable("mosquitto", [Executable]);
        Prerequisite.Executable("mosquitto", [PasswordTool]);

        var folder = Path.Combine(Path.GetTempPath(), "beaconengine-mosquitto", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var config = new List<string> { $"listener {port} 127.0.0.1", "persistence false", "log_dest stderr", "log_type error", "log_type warning" };
        if (users is null)
        {
            config.Add("allow_anonymous true");
        }
        else
        {
            var passwords = Path.Combine(folder, "passwords");
            await File.WriteAllLinesAsync(passwords, users.Select(u => $"{u.Key}:{u.Value}"));
            await RunAsync(PasswordTool, "-U", passwords);
            config.Add("allow_anonymous false");
            config.Add($"password_file {passwords}");
        }

        if (acl is not null)
        {
            var aclPath = Path.Combine(folder, "acl");
            await File.WriteAllTextAsync(aclPath, acl);
            config.Add($"acl_file {aclPath}");
        }

        var configPath = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(configPath, config);
        var process = Process.Start(new ProcessStartInfo(Executable, ["-c", configPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var broker = new MosquittoBroker(process, folder, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    break;
                }

                await Task.Delay(50);
            }
        }

        await broker.DisposeAsync();
        throw new InvalidOperationException("mosquitto did not start listening");
    }

    /// <summary>A connected publishing client (MQTT 3.1.1, as gateways' firmware speaks).</summary>
    public async Task<IMqttClient> ConnectAsync(string? user = null, string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId($"test-{Guid.NewGuid():N}");
        if (user is not null)
        {
            options.WithCredentials(user, password);
        }

        await client.ConnectAsync(options.Build());
        return client;
    }

    /// <summary>What the broker answers a client signing in (MQTT 5), without keeping the connection.</summary>
    public async Task<MqttClientConnectResultCode> SignInAsync(string? user, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId($"test-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (user is not null)
        {
            options.WithCredentials(user, password);
        }

        try
        {
            var result = await client.ConnectAsync(options.Build());
            await client.DisconnectAsync();
            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MqttClientConnectResultCode.UnspecifiedError;
        }
    }

    public static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public static Task PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        EngineHost.TryDelete(_folder);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}");
        }
    }

    private static int FreePort()
    {
        return EngineHost.FreeTcpPort();
    }
}
