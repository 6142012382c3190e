using System.CommandLine;
using Cki.Compute.Cli;

var root = new RootCommand("cki-compute: Compatibility-aware Knowledge Integration of models of one architecture - " +
    "checkpoint inspection, integration and the compute jobs of the CKI workflow.")
{
    InspectCommand.Create(),
    MergeCommand.Create(),
    DataCommand.Create(),
    ExperimentCommand.Create(),
    DemoCommand.Create(),
    BenchCommand.Create(),
    JobCommand.Create(),
    WorkerCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
