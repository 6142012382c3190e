namespace Cki.Workflow.Dispatch;

/// <summary>How the local dispatcher runs a job (setting <c>LocalJobs</c>).</summary>
public enum LocalJobMode
{
    /// <summary>On a warm <c>cki-compute worker</c> process that runs jobs one after another (the default).</summary>
    Workers,

    /// <summary>In a <c>cki-compute job</c> process of its own (as the kubernetes dispatcher's pods do).</summary>
    Processes,
}
