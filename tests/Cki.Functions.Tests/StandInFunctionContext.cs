using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Cki.Functions.Tests;

/// <summary>
/// A stand-in for the <see cref="FunctionContext"/> the Functions host builds for each invocation: the host cannot
/// run here, so the tests call function bodies directly with this. It carries only what the functions
/// under test read: the function's name (<see cref="FunctionDefinition"/>.Name) and the trigger's binding data
/// (e.g. <c>instanceId</c> of an activity trigger). Everything else is not supported.
/// </summary>
internal sealed class StandInFunctionContext(string functionName, IReadOnlyDictionary<string, object?>? bindingData = null) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => functionName;

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext { get; } = new StandInBindingContext(bindingData ?? new Dictionary<string, object?>());

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override FunctionDefinition FunctionDefinition { get; } = new StandInFunctionDefinition(functionName);

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    private sealed class StandInBindingContext(IReadOnlyDictionary<string, object?> bindingData) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = bindingData;
    }

    private sealed class StandInFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => throw new NotSupportedException();

        public override string EntryPoint => throw new NotSupportedException();

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
