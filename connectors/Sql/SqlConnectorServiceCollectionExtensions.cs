using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Sql;

public static class SqlConnectorServiceCollectionExtensions
{
    /// <summary>Registers the <c>sql</c> connector kind (SQLite and PostgreSQL).</summary>
    public static IServiceCollection AddSqlConnector(this IServiceCollection services) => services.AddConnector<SqlConnector>();
}
