namespace Cki.Workflow.Dispatch;

/// <summary>Which dispatcher runs compute jobs (setting <c>Dispatcher</c>).</summary>
public enum DispatcherKind
{
    /// <summary>Child processes on this machine (the default).</summary>
    Local,

    /// <summary>Jobs on AKS.</summary>
    Kubernetes,
}
