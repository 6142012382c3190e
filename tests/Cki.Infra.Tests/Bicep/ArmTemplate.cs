using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cki.Infra.Tests.Bicep;

/// <summary>
/// A compiled template (build/Bicep.targets writes it to <c>arm/</c> beside the tests) with its modules flattened:
/// every resource of every nested deployment, each with the module it came from, so that a test asks for
/// "the storage account" without walking deployments.
/// </summary>
public sealed partial class ArmTemplate
{
    private ArmTemplate(string text, IReadOnlyList<ArmModule> modules)
    {
        Text = text;
        Modules = modules;
    }

    /// <summary>The JSON as compiled, for checks on the whole text.</summary>
    public string Text { get; }

    /// <summary>The root template and every module, depth first.</summary>
    public IReadOnlyList<ArmModule> Modules { get; }

    /// <summary>Every resource of every module (nested deployments included).</summary>
    public IEnumerable<ArmResource> Resources => Modules.SelectMany(m => m.Resources);

    /// <summary>Loads <c>arm/{name}.json</c>.</summary>
    public static ArmTemplate Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "arm", $"{name}.json");
        var text = File.ReadAllText(path);
        var modules = new List<ArmModule>();
        Collect("(root)", (JsonObject)JsonNode.Parse(text)!, new JsonObject(), null, modules);
        return new ArmTemplate(text, modules);
    }

    /// <summary>The one resource of the type; fails when there are none or several.</summary>
    public ArmResource One(string type) => Assert.Single(OfType(type));

    /// <summary>The resources of the type.</summary>
    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The module deployed under the name.</summary>
    public ArmModule Module(string name) => Assert.Single(Modules, m => m.Name == name);

    private static void Collect(string name, JsonObject template, JsonObject parameters, ArmModule? parent, List<ArmModule> modules)
    {
        var module = new ArmModule(name, template, parameters, parent);
        modules.Add(module);
        foreach (var resource in template["resources"]?.AsArray() ?? [])
        {
            var node = (JsonObject)resource!;
            if ((string?)node["type"] == "Microsoft.Resources/deployments")
            {
                Collect((string)node["name"]!, (JsonObject)node["properties"]!["template"]!, (JsonObject)node["properties"]!["parameters"]!, module, modules);
            }
            else
            {
                module.Add(new ArmResource(module, node));
            }
        }
    }

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)\.(?<member>\w+)")]
    internal static partial Regex VariableMember();
}

/// <summary>One template (the root or a module) and the parameter values its parent passes.</summary>
public sealed class ArmModule(string name, JsonObject template, JsonObject parameters, ArmModule? parent)
{
    private readonly List<ArmResource> _resources = [];

    /// <summary>The deployment name (the Bicep module's <c>name</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The template that deploys this module; null for the root.</summary>
    public ArmModule? Parent { get; } = parent;

    /// <summary>The parameters the parent passes, as compiled (<c>{ name: { value: ... } }</c>).</summary>
    public JsonObject Parameters { get; } = parameters;

    /// <summary>The module's own template.</summary>
    public JsonObject Template { get; } = template;

    /// <summary>The resources the module declares (nested deployments excluded).</summary>
    public IReadOnlyList<ArmResource> Resources => _resources;

    /// <summary>The value or expression the parent passes for a parameter.</summary>
    public string? Parameter(string name) => Parameters[name]?["value"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => other?.ToJsonString(),
    };

    /// <summary>An expression with <c>variables('x').member</c> replaced by the variable's value, quoted.</summary>
    public string Resolve(string expression) => ArmTemplate.VariableMember().Replace(expression, match =>
        $"'{Template["variables"]?[match.Groups["name"].Value]?[match.Groups["member"].Value]}'");

    internal void Add(ArmResource resource) => _resources.Add(resource);
}

/// <summary>One resource of a template.</summary>
public sealed class ArmResource(ArmModule module, JsonObject node)
{
    /// <summary>The module that declares it.</summary>
    public ArmModule Module { get; } = module;

    /// <summary>The resource as compiled.</summary>
    public JsonObject Node { get; } = node;

    /// <summary>Its type, e.g. <c>Microsoft.Storage/storageAccounts</c>.</summary>
    public string Type => (string)Node["type"]!;

    /// <summary>Its <c>properties</c>.</summary>
    public JsonNode Properties => Node["properties"]!;

    /// <summary>A string at a path under the resource (e.g. <c>properties.minimumTlsVersion</c>), with variables resolved.</summary>
    public string? Text(string path) => At(path) is JsonValue value ? Module.Resolve(value.ToString()) : null;

    /// <summary>The node at a dotted path (array items by number).</summary>
    public JsonNode? At(string path)
    {
        JsonNode? node = Node;
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonArray array when int.TryParse(part, out var index) => index < array.Count ? array[index] : null,
                JsonObject obj => obj[part],
                _ => null,
            };
        }

        return node;
    }
}
