using System.Runtime.CompilerServices;

// The number-format rules are tested directly: there are more formats than workbooks worth building.
[assembly: InternalsVisibleTo("DataPool.Connectors.Excel.Tests")]
