using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace DataPool.Server.Scheduling;

/// <summary>
/// Hangfire's logging is process-wide and its classes keep loggers in static fields, bound to the logger factory of
/// the first host that configured it. This provider forwards every line to the factory of the host configured
/// last instead, and drops lines once that factory is disposed, so a process that builds host after host (the
/// tests) neither logs into a disposed factory nor fails on one.
/// </summary>
internal sealed class HangfireLogging : ILogProvider
{
    private static volatile AspNetCoreLogProvider? _current;

    public static HangfireLogging Instance { get; } = new();

    public static void Use(ILoggerFactory factory) => _current = new AspNetCoreLogProvider(factory);

    public ILog GetLogger(string name) => new ForwardingLog(name);

    private sealed class ForwardingLog(string name) : ILog
    {
        private volatile Bound? _bound;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (_current is not { } provider)
            {
                return false;
            }

            try
            {
                var bound = _bound;
                if (bound is null || !ReferenceEquals(bound.Provider, provider))
                {
                    _bound = bound = new Bound(provider, provider.GetLogger(name));
                }

                return bound.Log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed record Bound(AspNetCoreLogProvider Provider, ILog Log);
}
