using System.Globalization;
using System.Text;

namespace Cki.Testing.Builders;

/// <summary>
/// The text of a family manifest (<c>cki.yaml</c>) for tests that need a valid one and care about only a few of its
/// fields: <c>task: none</c> (data-free, no training or evaluation), the sources, and optionally the merge method, the
/// number of shards and the schedule, written in that order, one line each, every line ending in a newline.
/// </summary>
/// <example><c>FamilyManifestBuilder.DataFree("a", "b").Shards(2).Build()</c> is <c>"task: none\nsources: [a, b]\nshards: 2\n"</c>.</example>
public sealed class FamilyManifestBuilder
{
    private readonly string[] _sources;
    private string? _method;
    private int? _shards;
    private string? _schedule;

    private FamilyManifestBuilder(string[] sources) => _sources = sources;

    /// <summary>A data-free manifest (<c>task: none</c>) over the given sources.</summary>
    public static FamilyManifestBuilder DataFree(params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new FamilyManifestBuilder(sources);
    }

    /// <summary>Sets <c>merge.method</c>.</summary>
    public FamilyManifestBuilder Method(string method)
    {
        _method = method;
        return this;
    }

    /// <summary>Sets <c>shards</c>, the number of output shards.</summary>
    public FamilyManifestBuilder Shards(int shards)
    {
        _shards = shards;
        return this;
    }

    /// <summary>Sets <c>schedule</c> (<c>nightly</c>, <c>manual</c>, ...).</summary>
    public FamilyManifestBuilder Schedule(string schedule)
    {
        _schedule = schedule;
        return this;
    }

    /// <summary>The manifest's text.</summary>
    public string Build()
    {
        var text = new StringBuilder("task: none\n").Append("sources: [").AppendJoin(", ", _sources).Append("]\n");
        if (_method is not null)
        {
            text.Append("merge:\n  method: ").Append(_method).Append('\n');
        }

        if (_shards is { } shards)
        {
            text.Append("shards: ").Append(shards.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (_schedule is not null)
        {
            text.Append("schedule: ").Append(_schedule).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The manifest's text in UTF-8, as it is uploaded.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Build());

    /// <inheritdoc />
    public override string ToString() => Build();
}
