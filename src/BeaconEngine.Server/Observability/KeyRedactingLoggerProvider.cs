using System.Text.RegularExpressions;

namespace BeaconEngine.Server.Observability;

/// <summary>
/// Wraps a logger provider so no key reaches a log: an <c>access_token</c> (or <c>key</c>) in a logged URL's
/// query string, and any issued key (<c>gw_</c>, <c>br_</c>, <c>tl_</c>, <c>sh_</c>) in a message or a
/// structured value, are replaced by <c>[redacted]</c>. WebSockets and some vendor gateways can only send
/// their key in the query string, and the framework logs request URLs.
/// </summary>
public sealed partial class KeyRedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public const string Redacted = "[redacted]";

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public static string Redact(string text) =>
        text.Contains("access_token", StringComparison.OrdinalIgnoreCase) || text.Contains('_')
            ? IssuedKey().Replace(QueryKey().Replace(text, m => m.Groups["name"].Value + Redacted), Redacted)
            : text;

    /// <summary>Replaces every provider registered so far with its redacting wrapper. Call after all logging is set up.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(ILoggerProvider) || d.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(ILoggerProvider), sp => new KeyRedactingLoggerProvider(Create(sp, d)), d.Lifetime);
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor d) => (ILoggerProvider)(
        d.ImplementationInstance
        ?? d.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

    [GeneratedRegex(@"(?<name>[?&](?:access_token|key)=)[^&\s""']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryKey();

    [GeneratedRegex(@"\b(?:gw|br|tl|sh)_[A-Za-z0-9_-]{43}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IssuedKey();

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            // Structured providers (OTLP, JSON console) read the values, others the message: both are redacted.
            var message = Redact(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> list
                ? list.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is string s ? Redact(s) : p.Value)).ToList()
                : [];
            inner.Log(logLevel, eventId, new RedactedState(message, values), exception, static (s, _) => s.Message);
        }
    }

    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
