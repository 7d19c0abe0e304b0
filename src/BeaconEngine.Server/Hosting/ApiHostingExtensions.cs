using System.Text.Json;
using System.Text.Json.Serialization;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Hubs;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace BeaconEngine.Server.Hosting;

public static class ApiHostingExtensions
{
    /// <summary>The public contract: request limits, JSON, keys and roles, REST routes and the shopper hub.</summary>
    public static WebApplicationBuilder AddBeaconEngineApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.AddServerHeader = false;
        });

        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi(OpenApiSetup.Configure);

        services.AddSingleton<AdminKeyProvider>();
        services.AddSingleton<UnknownKeyGuard>();
        services.AddAuthentication(BearerKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerKeyHandler>(BearerKeyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Gateway, p => p.RequireRole(Roles.Gateway))
            .AddPolicy(Roles.Brand, p => p.RequireRole(Roles.Brand))
            .AddPolicy(Roles.Shopper, p => p.RequireRole(Roles.Shopper))
            .AddPolicy(Roles.TillOrOperator, p => p.RequireRole(Roles.Till, Roles.Operator));
        services.AddBeaconEngineRateLimits(builder.Configuration);

        services.AddSingleton<IdentityResolver>();
        services.AddSingleton<RotationSecretSealer>();
        services.AddSingleton<RotatingIdentities>();
        services.AddSingleton<SightingIngestor>();
        services.AddSingleton<PhoneReportLimiter>();
        services.AddSingleton<PhoneReportIngestor>();
        services.AddBenchmarkEndpoints(builder.Configuration);

        services.AddSignalR(o => o.MaximumReceiveMessageSize = 32 * 1024)
            .AddJsonProtocol(o => ConfigureJson(o.PayloadSerializerOptions))
            .AddMessagePackProtocol();
        builder.AddBeaconEngineEngagement();
        return builder;
    }

    public static WebApplication MapBeaconEngineApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            // Unknown routes and wrong methods answer in problem+json too, never an empty or HTML body.
            var http = context.HttpContext;
            if (!http.Response.HasStarted && http.Response.ContentLength is null && string.IsNullOrEmpty(http.Response.ContentType))
            {
                var status = http.Response.StatusCode;
                var (title, detail) = status switch
                {
                    404 => ("Not found", $"There is no route {http.Request.Method} {http.Request.Path}. See /openapi/v1.json."),
                    405 => ("Method not allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}."),
                    415 => ("Unsupported media type", $"{http.Request.Method} {http.Request.Path}: {Problems.JsonOnly(http.Request.ContentType)}"),
                    _ => (ReasonPhrases.GetReasonPhrase(status), $"{http.Request.Method} {http.Request.Path} was answered with {status}."),
                };
                await Problems.WriteAsync(http, status, title, detail);
            }
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        // Only the one document exists; any other name is an unmatched route, so its 404 is a problem too.
        app.MapOpenApi("/openapi/{documentName:regex(^v1$)}.json").AllowAnonymous();
        app.MapOperatorEndpoints();
        app.MapCalibrationEndpoints();
        app.MapOfferEndpoints();
        app.MapShopperEndpoints();
        app.MapSightingEndpoints();
        app.MapBeaconEndpoints();
        app.MapBeaconEngineEngagement();
        app.MapBenchmarkEndpoints();
        app.MapHub<ShopperHub>(ShopperHub.Path);
        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.MaxDepth = 32;

        // Numbers are JSON numbers, as the contract and the OpenAPI document say ("5" is not a number). The web
        // defaults would also read numbers from strings, and the document would then type every number as
        // "integer or string".
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new UtcTimeConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
