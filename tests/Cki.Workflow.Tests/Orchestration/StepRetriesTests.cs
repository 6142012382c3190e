using Cki.Workflow.Orchestration;
using Microsoft.DurableTask;

namespace Cki.Workflow.Tests.Orchestration;

/// <summary>Which activity failures the orchestrations retry: storage and network trouble, never a bad input or a terminated run.</summary>
public sealed class StepRetriesTests
{
    [Theory]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 503 (The server is busy.)", true)]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 500 (Internal error)", true)]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 429 (Too many requests)", true)]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 408 (Timeout)", true)]
    [InlineData("Azure.RequestFailedException", "Connection refused (127.0.0.1:10000)", true)]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 403 (Forbidden)", false)]
    [InlineData("Azure.RequestFailedException", "Service request failed.\nStatus: 404 (The specified blob does not exist.)", false)]
    [InlineData("System.Net.Http.HttpRequestException", "Connection refused", true)]
    [InlineData("System.IO.IOException", "The response ended prematurely.", true)]
    [InlineData("System.TimeoutException", "The operation timed out.", true)]
    [InlineData("System.IO.FileNotFoundException", "runs/x/jobs/profile-a/profile.json: the profile is gone.", false)]
    [InlineData("System.InvalidOperationException", "run x was terminated; publish writes nothing.", false)]
    [InlineData("System.IO.InvalidDataException", "checkpoints/f/cki.yaml:3:1: merge.method: unknown", false)]
    [InlineData("Cki.Workflow.Orchestration.RunFailedException", "job profile-a failed", false)]
    public void IsTransient_ByExceptionTypeAndStatus(string type, string message, bool transient) =>
        Assert.Equal(transient, StepRetries.IsTransient(new TaskFailureDetails(type, message, null, null, null)));

    [Fact]
    public void IsTransient_AggregateOfTheAzureSdksRetries_LooksAtTheInnerError()
    {
        var busy = new TaskFailureDetails("Azure.RequestFailedException", "Status: 503 (busy)", null, null, null);
        var missing = new TaskFailureDetails("Azure.RequestFailedException", "Status: 404 (gone)", null, null, null);

        Assert.True(StepRetries.IsTransient(new TaskFailureDetails("System.AggregateException", "Retry failed after 4 tries.", null, busy, null)));
        Assert.False(StepRetries.IsTransient(new TaskFailureDetails("System.AggregateException", "Retry failed after 4 tries.", null, missing, null)));
        Assert.False(StepRetries.IsTransient(new TaskFailureDetails("System.AggregateException", "no inner error", null, null, null)));
    }

    [Fact]
    public void IsTransient_ChangedInputWrappingA412_NotRetried() =>
        Assert.False(StepRetries.IsTransient(new TaskFailureDetails("System.InvalidOperationException", "checkpoints/f/a/v1/model.safetensors: changed while the run was starting",
            null, new TaskFailureDetails("Azure.RequestFailedException", "Status: 412 (condition not met)", null, null, null), null)));

    [Fact]
    public void Options_BoundedExponentialBackoff()
    {
        var policy = StepRetries.Options.Retry!.Policy!;

        Assert.Equal((4, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30)), (policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval));
    }
}
