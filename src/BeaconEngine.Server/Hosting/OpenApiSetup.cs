using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BeaconEngine.Server.Hosting;

/// <summary>The OpenAPI document at /openapi/v1.json: title, the bearer key, which key each route takes, and honest "required" lists.</summary>
public static class OpenApiSetup
{
    private const string Scheme = "bearerKey";

    /// <summary>
    /// The errors any route of its kind can answer, so a client developer sees them all: every route may be rate
    /// limited; a route with a body may get one that is malformed, too large or of the wrong type; a route with an id
    /// in its path may name nothing (or another tenant's resource, which is answered the same). Routes add their own.
    /// </summary>
    private static void AddCommonErrors(OpenApiOperation operation, string path, bool takesTypedBody)
    {
        operation.Responses ??= [];

        // A typed body (JSON, declared to the router); the vendor uploads read any content type and name their own errors.
        if (takesTypedBody)
        {
            operation.Responses.TryAdd("400", new OpenApiResponse { Description = "The body or a parameter is invalid; the detail says which and how to fix it (problem+json)" });
            operation.Responses.TryAdd("413", new OpenApiResponse { Description = "The body is over 1 MiB (problem+json)" });
            operation.Responses.TryAdd("415", new OpenApiResponse { Description = "The body is not sent as application/json (problem+json)" });
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            operation.Responses.TryAdd("404", new OpenApiResponse { Description = "Nothing of that id, or not yours: another tenant's resource is answered the same (problem+json)" });
        }

        operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Over the caller's rate limit: retry after the Retry-After header's seconds (problem+json)" });
    }

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "BeaconEngine API",
                Version = "v1",
                Description = "In-store beacon offers: gateways send sightings, brands place aisle offers and read their results, "
                    + "shoppers keep control of what they get. Every key is a bearer token (`Authorization: Bearer <key>`); "
                    + "each operation says which kind of key it takes. Errors are `application/problem+json`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The operator's key, or a key the operator issued to a gateway or brand, or a shopper's token from enrolment.",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var takesTypedBody = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().Any();
            AddCommonErrors(operation, context.Description.RelativePath ?? "", takesTypedBody);
            return Task.CompletedTask;
        });

        options.AddOperationTransformer(async (operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<AuthorizationPolicy>().Any())
            {
                return;
            }

            // The roles named by the route's policies (a policy name is not what a caller needs to know).
            var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
            var requirements = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).ToList();
            foreach (var data in metadata.OfType<IAuthorizeData>())
            {
                if (data.Policy is { } name && await policies.GetPolicyAsync(name) is { } policy)
                {
                    requirements.AddRange(policy.Requirements);
                }
            }

            var roles = requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, or not a valid one (problem+json)" });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "A valid key of a role that may not use this route (problem+json)" });
            if (roles.Count > 0)
            {
                var key = $"Key: {string.Join(" or ", roles)}.";
                operation.Description = operation.Description is { Length: > 0 } d ? $"{d}\n\n{key}" : key;
            }
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            // A Guid is a UUID string.
            if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(Guid))
            {
                schema.Format = "uuid";
            }

            // Times are read as ISO-8601 strings or Unix milliseconds (UtcTimeConverter); responses use ISO-8601.
            var type = context.JsonTypeInfo.Type;
            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset))
            {
                schema.Type = JsonSchemaType.String | JsonSchemaType.Integer | (type == typeof(DateTimeOffset) ? 0 : JsonSchemaType.Null);
                schema.Format = "date-time";
                schema.Description ??= "An ISO-8601 UTC time, or Unix milliseconds; responses use ISO-8601.";
            }

            // Records list every field as a constructor parameter, which makes all of them "required"; a field
            // that may be null may also be left out, and the server says so when a missing one is needed.
            if (schema.Required is { Count: > 0 } required)
            {
                foreach (var property in context.JsonTypeInfo.Properties)
                {
                    if (property.IsSetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                    {
                        required.Remove(property.Name);
                    }
                }
            }

            return Task.CompletedTask;
        });
    }
}
