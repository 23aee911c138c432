// The browser tests spend most of their time waiting on the page: fixtures run side by side, each test on its own
// household and its own browser context, against the one server and browser of DemoServer.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
