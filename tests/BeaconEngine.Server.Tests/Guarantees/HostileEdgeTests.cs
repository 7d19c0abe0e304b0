using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// Keys stay out of logs; over-long request lines and headers, framework binding errors and type names
/// never reach a client bare; absurd times and invisible or control characters are refused with a reason.
/// </summary>
public sealed class HostileEdgeTests
{
    [Fact]
    public async Task Keys_in_query_strings_are_redacted_from_every_log_line()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await EngineHost.StartAsync(null, services => services.AddSingleton<ILoggerProvider>(logs),
            "--Logging:LogLevel:Default", "Information", "--Logging:LogLevel:Microsoft.AspNetCore", "Information");
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();
        await using (await ShopperApp.ConnectAsync(host.BaseAddress, shopper.Token))
        {
        }

        using var anonymous = host.CreateClient();
        await anonymous.PostAsync($"/api/v1/sightings/minew?access_token={store.GatewayKeys["gw-dairy"]}", new StringContent("[]", Encoding.UTF8, "application/json"));

        var lines = logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("access_token=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(shopper.Token, StringComparison.Ordinal) || l.Contains(store.GatewayKeys["gw-dairy"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_long_request_lines_and_headers_and_binding_errors_answer_with_a_problem_naming_no_internal_type()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var brand = store.Brands["brand-a"];

        var longUrl = await brand.GetAsync("/api/v1/offers?filler=" + new string('a', 10_000));
        Assert.Contains("at most 8192", await Scenario.ExpectProblem(longUrl, HttpStatusCode.RequestUriTooLong), StringComparison.Ordinal);

        using var bigHeader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/offers");
        bigHeader.Headers.Add("X-Filler", new string('b', 40_000));
        Assert.Contains("at most 32768", await Scenario.ExpectProblem(await brand.SendAsync(bigHeader), HttpStatusCode.RequestHeaderFieldsTooLarge), StringComparison.Ordinal);

        // A discount of the wrong shape: the reader's message would name the server's DTO type.
        var wrongShape = await brand.PostAsync("/api/v1/offers", new StringContent(
            $$"""{"storeId":"{{store.StoreId}}","zoneIds":["dairy"],"title":"t","discount":"x"}""", Encoding.UTF8, "application/json"));
        var detail = await Scenario.ExpectProblem(wrongShape, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("BeaconEngine.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.Contains("$.discount", detail, StringComparison.Ordinal);

        // No body at all: the framework's "implicit body inferred" becomes plain words.
        using var anonymous = host.CreateClient();
        var noBody = await anonymous.PostAsync("/api/v1/shoppers", new StringContent("", Encoding.UTF8, "application/json"));
        detail = await Scenario.ExpectProblem(noBody, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("Implicit", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"9999-12-31T00:00:00Z\"")]
    [InlineData("0")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    public async Task An_absurd_heartbeat_time_is_refused_with_the_reason(string sentAt)
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        using var gateway = host.CreateClient(store.GatewayKeys["gw-dairy"]);
        var answer = await gateway.PostAsync("/api/v1/heartbeats", new StringContent($$"""{"sentAt":{{sentAt}}}""", Encoding.UTF8, "application/json"));
        var detail = await Scenario.ExpectProblem(answer, HttpStatusCode.BadRequest);
        Assert.Matches("2000 to 2199|1970 and 9999|days from the server's clock", detail);

        // A real clock a little off is fine.
        var fine = await gateway.PostAsJsonAsync("/api/v1/heartbeats", new { sentAt = DateTimeOffset.UtcNow.AddMinutes(-3) });
        await Scenario.Expect(fine, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Control_and_bidirectional_override_characters_in_text_are_refused_with_the_reason()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var brand = store.Brands["brand-a"];
        foreach (var title in new[] { "50% off\u0000", "Free \u202Eelbat", "Deal\u2066!" })
        {
            var answer = await brand.PostAsJsonAsync("/api/v1/offers", new
            {
                storeId = store.StoreId, zoneIds = new[] { "dairy" }, title, discount = new { kind = "percent", value = 10 },
            });
            Assert.Contains("'title' holds the invisible or control character U+", await Scenario.ExpectProblem(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        var zone = await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "Test store", timeZone = "UTC\u200b", zones = new[] { new { id = "dairy", name = "Dairy" } },
        });
        Assert.Contains("U+200B", await Scenario.ExpectProblem(zone, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // Emoji with joiners and line breaks in a description are ordinary text.
        var fine = await brand.PostAsJsonAsync("/api/v1/offers", new
        {
            storeId = store.StoreId, zoneIds = new[] { "dairy" }, title = "Family pack 👨‍👩‍👧", description = "Two lines\nof text", discount = new { kind = "percent", value = 10 },
        });
        await Scenario.Expect(fine, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Erasure_closes_the_shoppers_open_hub_connections()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, shopper.Token);
        using var api = host.CreateClient(shopper.Token);
        await Scenario.Expect(await api.DeleteAsync("/api/v1/me"), HttpStatusCode.NoContent);
        await Eventually.WaitAsync(() => Task.FromResult(phone.Connection.State), s => s == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected,
            TimeSpan.FromSeconds(10), "the erased shopper's connection to close");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.Lines.Enqueue(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        owner.Lines.Enqueue($"{key}={value}");
                    }
                }
            }
        }
    }
}
